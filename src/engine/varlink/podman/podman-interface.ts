/**
 * io.podman (Podman 1.9's interface) served from an Engine. Every method of the definition exists;
 * the ones without a handler here answer org.varlink.service.MethodNotImplemented until built.
 */
import type { Engine } from '../../engine.js';
import { parseInterface } from '../idl-parser.js';
import type { InterfaceImplementation } from '../service.js';
import { containerMethods } from './containers.js';
import { createContainerMethods } from './create-container.js';
import { podMethods } from './pods.js';
import { volumeEventMethods } from './volumes-events.js';
import { execMethods } from './exec.js';
import { imageMethods } from './images.js';
import { mapPodmanError } from './podman-errors.js';
import { psMethods } from './ps.js';
import { systemMethods } from './system.js';

/** `definitionText` is interfaces/io.podman.varlink (bundled as text by the CLI). */
export function podmanInterface(engine: Engine, definitionText: string): InterfaceImplementation {
  return {
    definition: parseInterface(definitionText),
    methods: { ...systemMethods(engine), ...containerMethods(engine), ...execMethods(engine), ...psMethods(engine), ...imageMethods(engine),
      ...createContainerMethods(engine), ...podMethods(engine), ...volumeEventMethods(engine) },
    requiresMore: new Set(['GetEvents']),
    mapError: mapPodmanError,
  };
}
