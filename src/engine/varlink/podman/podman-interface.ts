/**
 * io.podman (Podman 1.9's interface) served from an Engine. Every method of the definition has a
 * handler; those for features selkie lacks (unsupported.ts) answer ErrorOccurred saying what to use.
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
import { statsMethods } from './stats.js';
import { changesCommitMethods } from './changes-commit.js';
import { imageRegistryMethods } from './image-registry.js';
import { imageTransferMethods } from './image-transfer.js';
import { fileTransferMethods } from './file-transfer.js';
import { containerExtraMethods } from './container-extras.js';
import { devDataMethods } from './dev-data.js';
import { imageTreeMethods } from './image-tree.js';
import { unsupportedMethods } from './unsupported.js';
import { resetMethods } from './reset.js';

/** `definitionText` is interfaces/io.podman.varlink (bundled as text by the CLI). */
export function podmanInterface(engine: Engine, definitionText: string): InterfaceImplementation {
  return {
    definition: parseInterface(definitionText),
    methods: { ...systemMethods(engine), ...containerMethods(engine), ...execMethods(engine), ...psMethods(engine), ...imageMethods(engine),
      ...createContainerMethods(engine), ...podMethods(engine), ...volumeEventMethods(engine), ...statsMethods(engine), ...changesCommitMethods(engine),
      ...imageRegistryMethods(engine), ...imageTransferMethods(engine), ...fileTransferMethods(), ...containerExtraMethods(engine), ...devDataMethods(engine),
      ...imageTreeMethods(engine), ...unsupportedMethods(engine), ...resetMethods(engine) },
    requiresMore: new Set(['GetEvents', 'GetContainersLogs']),
    mapError: mapPodmanError,
  };
}
