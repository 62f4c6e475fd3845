/**
 * A varlink error reply: a fully qualified error name (interface + error) and its parameters.
 * Method handlers throw these; the server sends them as `{"error": name, "parameters": {...}}`.
 */

const brand = Symbol.for('selkie.VarlinkError');

export class VarlinkError extends Error {
  readonly [brand] = true;
  constructor(
    /** e.g. org.varlink.service.MethodNotFound, io.podman.ContainerNotFound */
    readonly error: string,
    readonly parameters: Record<string, unknown> = {},
  ) {
    super(describeVarlinkError(error, parameters));
    this.name = 'VarlinkError';
  }
}

export function isVarlinkError(e: unknown): e is VarlinkError {
  return typeof e === 'object' && e !== null && (e as Record<symbol, unknown>)[brand] === true;
}

/** "io.podman.ContainerNotFound: id=web, reason=no such container" */
export function describeVarlinkError(error: string, parameters: Record<string, unknown>): string {
  const params = Object.entries(parameters)
    .filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
  return params.length ? `${error}: ${params.join(', ')}` : error;
}

/** The errors of the org.varlink.service interface every service speaks. */
export const serviceErrors = {
  interfaceNotFound: (iface: string) => new VarlinkError('org.varlink.service.InterfaceNotFound', { interface: iface }),
  methodNotFound: (method: string) => new VarlinkError('org.varlink.service.MethodNotFound', { method }),
  methodNotImplemented: (method: string) => new VarlinkError('org.varlink.service.MethodNotImplemented', { method }),
  invalidParameter: (parameter: string) => new VarlinkError('org.varlink.service.InvalidParameter', { parameter }),
  permissionDenied: () => new VarlinkError('org.varlink.service.PermissionDenied'),
  expectedMore: () => new VarlinkError('org.varlink.service.ExpectedMore'),
};
