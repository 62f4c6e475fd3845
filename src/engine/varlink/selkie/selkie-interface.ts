/**
 * io.selkie: what io.podman lacks — the security view of a container, remote image inspect — and the
 * whole Engine with its own JSON shapes (engine-*.ts), which the remote engine (src/engine/remote/) calls.
 */
import { asEngineError } from '../../engine-error.js';
import { describeError, isSelkieError } from '../../errors.js';
import type { Engine } from '../../engine.js';
import { parseInterface } from '../idl-parser.js';
import type { InterfaceImplementation } from '../service.js';
import { isVarlinkError, VarlinkError } from '../varlink-error.js';
import { engineContainerMethods } from './engine-containers.js';
import { engineImageMethods } from './engine-images.js';
import { enginePodMethods, engineSystemMethods, engineVolumeNetworkMethods } from './engine-pods.js';
import { engineErrorParameters } from './result-frame.js';

/** `definitionText` is interfaces/io.selkie.varlink (bundled as text by the CLI). */
export function selkieInterface(engine: Engine, definitionText: string): InterfaceImplementation {
  return {
    definition: parseInterface(definitionText),
    methods: {
      ...engineContainerMethods(engine),
      ...engineImageMethods(engine),
      ...enginePodMethods(engine),
      ...engineVolumeNetworkMethods(engine),
      ...engineSystemMethods(engine),
      GetContainerSecurity: async (p: { name: string }) => {
        const i = await notFoundAs('ContainerNotFound', p.name, () => engine.containers.inspect(p.name));
        const opts = i.HostConfig.SecurityOpt ?? [];
        const seccomp = opts.find((o) => o.startsWith('seccomp='))?.slice(8) ?? i.SeccompProfilePath;
        return {
          security: {
            id: i.Id,
            name: i.Name.replace(/^\//, ''),
            privileged: i.HostConfig.Privileged,
            effectiveCapabilities: i.EffectiveCaps ?? [],
            boundingCapabilities: i.BoundingCaps ?? [],
            capAdd: i.HostConfig.CapAdd ?? [],
            capDrop: i.HostConfig.CapDrop ?? [],
            seccompProfile: seccomp || 'default',
            noNewPrivileges: opts.some((o) => o === 'no-new-privileges' || o === 'no-new-privileges=true' || o === 'no-new-privileges:true'),
            readOnlyRootfs: i.HostConfig.ReadonlyRootfs,
            processLabel: i.ProcessLabel,
            mountLabel: i.MountLabel,
            apparmorProfile: i.AppArmorProfile,
            securityOptions: opts,
            usernsMode: i.HostConfig.UsernsMode ?? '',
            uidMap: i.HostConfig.IDMappings?.UidMap ?? [],
            gidMap: i.HostConfig.IDMappings?.GidMap ?? [],
          },
        };
      },
      InspectRemoteImage: async (p: { reference: string; tlsVerify?: boolean }) => {
        const r = await notFoundAs('ImageNotFound', p.reference, () => engine.images.inspectRemote(p.reference, { tlsVerify: p.tlsVerify }));
        return { image: JSON.stringify(r) };
      },
    },
    requiresMore: new Set(['ContainerLogs', 'Events']),
    // An engine failure keeps its kind, message, hint and exit code (EngineError), so a remote CLI fails as a local one.
    mapError: (thrown) => {
      const e = asEngineError(thrown);
      return isVarlinkError(e) ? e : isSelkieError(e) ? new VarlinkError('io.selkie.EngineError', { ...engineErrorParameters(e) }) : new VarlinkError('io.selkie.ErrorOccurred', { reason: describeError(e) });
    },
  };
}

async function notFoundAs<T>(error: 'ContainerNotFound' | 'ImageNotFound', id: string, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    if (isSelkieError(e) && e.kind === 'not-found') throw new VarlinkError(`io.selkie.${error}`, { id, reason: describeError(e) });
    throw e;
  }
}
