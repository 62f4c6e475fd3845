/**
 * org.varlink.service, the interface every varlink service provides: GetInfo (who is serving,
 * which interfaces) and GetInterfaceDescription (the definition text clients parse), plus the
 * protocol's own errors. Its definition is the standard text from varlink.org.
 */
import { parseInterface } from './idl-parser.js';
import type { InterfaceImplementation, VarlinkService } from './service.js';
import { serviceErrors } from './varlink-error.js';

export const orgVarlinkServiceDefinition = `# The Varlink Service Interface is provided by every varlink service. It
# describes the service and the interfaces it implements.
interface org.varlink.service

# Get a list of all the interfaces a service provides and information
# about the implementation.
method GetInfo() -> (
  vendor: string,
  product: string,
  version: string,
  url: string,
  interfaces: []string
)

# Get the description of an interface that is implemented by this service.
method GetInterfaceDescription(interface: string) -> (description: string)

# The requested interface was not found.
error InterfaceNotFound (interface: string)

# The requested method was not found
error MethodNotFound (method: string)

# The interface defines the requested method, but the service does not
# implement it.
error MethodNotImplemented (method: string)

# One of the passed parameters is invalid.
error InvalidParameter (parameter: string)

# Client is denied access
error PermissionDenied ()

# Method is expected to be called with 'more' set to true, but wasn't
error ExpectedMore ()
`;

export function orgVarlinkService(service: VarlinkService): InterfaceImplementation {
  return {
    definition: parseInterface(orgVarlinkServiceDefinition),
    methods: {
      GetInfo: () => ({ ...service.info, interfaces: service.interfaceNames() }),
      GetInterfaceDescription: (p: { interface: string }) => {
        const def = service.definition(p.interface);
        if (!def) throw serviceErrors.interfaceNotFound(p.interface);
        return { description: def.source };
      },
    },
  };
}
