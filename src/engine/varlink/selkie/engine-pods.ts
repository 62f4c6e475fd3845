/** io.selkie's pod, volume, network, kube and system methods: the Engine's services as they are. */
import type { Engine } from '../../engine.js';
import { liveStream, type CallInfo, type MethodHandler } from '../service.js';

type O = Record<string, unknown>;
const done = () => ({});

export function enginePodMethods(engine: Engine): Record<string, MethodHandler> {
  const p = engine.pods;
  return {
    CreatePod: async (a: { options: O }) => p.create(a.options as never),
    StartPod: async (a: { name: string }) => ({ report: await p.start(a.name) }),
    StopPod: async (a: { name: string; timeout?: number }) => ({ report: await p.stop(a.name, { timeout: a.timeout }) }),
    RestartPod: async (a: { name: string; timeout?: number }) => ({ report: await p.restart(a.name, { timeout: a.timeout }) }),
    KillPod: async (a: { name: string; signal?: string }) => ({ report: await p.kill(a.name, a.signal) }),
    PausePod: async (a: { name: string }) => ({ report: await p.pause(a.name) }),
    UnpausePod: async (a: { name: string }) => ({ report: await p.unpause(a.name) }),
    RemovePod: async (a: { name: string; force: boolean; timeout?: number }) => p.remove(a.name, { force: a.force, timeout: a.timeout }),
    ListPods: async (a: { filters: Record<string, string[]> }) => ({ pods: await p.list({ filters: a.filters }) }),
    InspectPod: async (a: { name: string }) => ({ pod: await p.inspect(a.name) }),
    TopPod: async (a: { name: string; descriptors: string[] }) => ({ top: await p.top(a.name, a.descriptors.length ? a.descriptors : undefined) }),
    PodStats: async (a: { names: string[] }) => ({ stats: await p.stats(a.names) }),
    PodExists: async (a: { name: string }) => ({ exists: await p.exists(a.name) }),
    PrunePods: async () => ({ report: await p.prune() }),
  };
}

export function engineVolumeNetworkMethods(engine: Engine): Record<string, MethodHandler> {
  const v = engine.volumes;
  const n = engine.networks;
  return {
    CreateVolume: async (a: { options: O }) => ({ volume: await v.create(a.options) }),
    ListVolumes: async (a: { options: O }) => ({ volumes: await v.list(a.options) }),
    InspectVolume: async (a: { name: string }) => ({ volume: await v.inspect(a.name) }),
    VolumeExists: async (a: { name: string }) => ({ exists: await v.exists(a.name) }),
    RemoveVolume: async (a: { name: string; force: boolean }) => v.remove(a.name, { force: a.force }).then(done),
    PruneVolumes: async (a: { filters: Record<string, string[]> }) => ({ report: await v.prune({ filters: a.filters }) }),
    CreateNetwork: async (a: { options: O }) => ({ network: await n.create(a.options as never) }),
    ListNetworks: async (a: { options: O }) => ({ networks: await n.list(a.options) }),
    InspectNetwork: async (a: { name: string }) => ({ network: await n.inspect(a.name) }),
    NetworkExists: async (a: { name: string }) => ({ exists: await n.exists(a.name) }),
    RemoveNetwork: async (a: { name: string; force: boolean }) => ({ name: await n.remove(a.name, { force: a.force }) }),
    PruneNetworks: async (a: { options: O }) => ({ names: await n.prune(a.options) }),
    ConnectNetwork: async (a: { network: string; container: string; options: O }) => n.connect(a.network, a.container, a.options).then(done),
    DisconnectNetwork: async (a: { network: string; container: string; force: boolean }) => n.disconnect(a.network, a.container, { force: a.force }).then(done),
  };
}

export function engineSystemMethods(engine: Engine): Record<string, MethodHandler> {
  return {
    GenerateKubeYaml: async (a: { names: string[]; service: boolean }) => ({ yaml: await engine.kube.generate(a.names, { service: a.service }) }),
    PlayKube: async (a: { yaml: string; down: boolean; start?: boolean; file?: string }) => ({
      report: await engine.kube.play(a.yaml, { down: a.down, start: a.start, file: a.file }),
    }),
    Version: async () => ({ version: await engine.system.version() }),
    Info: async () => ({ info: await engine.system.info() }),
    Events: async (a: { options: O }, call: CallInfo) => {
      const events = engine.system.events({ ...a.options, signal: call.signal });
      return liveStream(
        (async function* () {
          for await (const event of events) yield { event };
        })(),
      );
    },
  };
}
