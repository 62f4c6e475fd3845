/**
 * A fake Engine for the bridge and UI tests: records every call, answers from small in-memory state,
 * fails where a test says so. Only what the bridge uses is implemented; anything else throws.
 */
import type { Engine } from '../../src/engine/engine.js';
import { SelkieError } from '../../src/engine/errors.js';
import type { PullProgress } from '../../src/engine/registry/pull-types.js';
import type { ContainerCreateOptions, ContainerInfo, ContainerInspect, LogLine } from '../../src/engine/types/container.js';
import type { ImageSummary } from '../../src/engine/types/image.js';

export interface FakeEngine {
  engine: Engine;
  calls: { method: string; args: unknown[] }[];
  containers: ContainerInfo[];
  /** Method name → error to throw instead. */
  failures: Map<string, Error>;
  /** Log lines logs() yields; with follow, then waits until `endLogs()`. */
  logLines: LogLine[];
  endLogs(): void;
  localImages: Set<string>;
  /** What images.list answers. */
  images: ImageSummary[];
}

/** An inspect document with the fields the page reads (details, security). */
export function inspectOf(c: ContainerInfo): ContainerInspect {
  return {
    Id: c.Id,
    Created: new Date(c.Created * 1000).toISOString(),
    Path: c.Command[0] ?? '',
    Args: c.Command.slice(1),
    State: { Status: c.State, Running: c.State === 'running', Paused: c.State === 'paused', Restarting: false, OOMKilled: false, Dead: false, Pid: c.Pid, ConmonPid: 0, ExitCode: 0, Error: '', StartedAt: '', FinishedAt: '' },
    Image: c.ImageID,
    ImageName: c.Image,
    Name: c.Names[0] ?? '',
    RestartCount: 0,
    Driver: 'overlay',
    OCIRuntime: 'runc',
    MountLabel: '',
    ProcessLabel: '',
    AppArmorProfile: '',
    EffectiveCaps: ['CAP_CHOWN'],
    BoundingCaps: ['CAP_CHOWN'],
    SeccompProfilePath: '',
    Config: { Hostname: '', User: '', Env: [], Cmd: c.Command, Entrypoint: null, Image: c.Image, WorkingDir: '/', Labels: {}, Tty: false, OpenStdin: false, StopSignal: 'SIGTERM', Annotations: {} },
    HostConfig: {
      AutoRemove: false, NetworkMode: 'bridge', Runtime: 'runc', CapAdd: [], CapDrop: [], Privileged: false, ReadonlyRootfs: false, Ulimits: [], Sysctls: {}, ShmSize: 0,
      SecurityOpt: [], Devices: [], DeviceCgroupRules: [], GroupAdd: [], Memory: 0, MemorySwap: 0, NanoCpus: 0, CpuShares: 0, PidsLimit: 0, Init: false, Binds: [], Tmpfs: {}, UsernsMode: '',
    },
    Mounts: [],
    NetworkSettings: { Networks: {} },
  };
}

export function container(name: string, over: Partial<ContainerInfo> = {}): ContainerInfo {
  return {
    Id: `${name}-id`.padEnd(64, '0'),
    Names: [name],
    Image: 'localhost/busybox:latest',
    ImageID: 'sha256:img',
    Command: ['sleep', '1000'],
    Created: 1_700_000_000,
    State: 'running',
    Status: 'Up 1 minute',
    ExitCode: 0,
    Pid: 123,
    Labels: {},
    StartedAt: 1_700_000_000,
    ExitedAt: 0,
    Pod: '',
    PodName: '',
    ...over,
  };
}

export function fakeEngine(): FakeEngine {
  const calls: FakeEngine['calls'] = [];
  const failures = new Map<string, Error>();
  let endLogs: () => void = () => undefined;
  const logsEnded = () => new Promise<void>((r) => (endLogs = r));
  const state: Omit<FakeEngine, 'engine' | 'calls' | 'failures' | 'endLogs'> = { containers: [container('web')], logLines: [], localImages: new Set(['localhost/busybox:latest']), images: [] };
  let podCounter = 0;
  const record = (method: string, impl: (...args: any[]) => unknown) =>
    async (...args: unknown[]) => {
      calls.push({ method, args });
      const f = failures.get(method);
      if (f) throw f;
      return impl(...args);
    };
  const services: Record<string, Record<string, unknown>> = {
    containers: {
      list: record('containers.list', () => state.containers),
      inspect: record('containers.inspect', (name: string) => {
        const c = state.containers.find((x) => x.Names[0] === name || x.Id === name);
        if (!c) throw new SelkieError('not-found', `container "${name}" not found`, { hint: 'list containers with selkie ps -a' });
        return inspectOf(c);
      }),
      create: record('containers.create', (o: ContainerCreateOptions) => ({ id: `${o.name ?? 'gen'}-id`, name: o.name ?? 'gen', warnings: [] })),
      start: record('containers.start', () => undefined),
      stop: record('containers.stop', () => undefined),
      remove: record('containers.remove', () => undefined),
      top: record('containers.top', () => ({ titles: ['USER', 'PID'], processes: [['root', '1']] })),
      stats: record('containers.stats', () => []),
      logs: (name: string, opts: { follow?: boolean; tail?: number }) => {
        calls.push({ method: 'containers.logs', args: [name, opts] });
        const ended = logsEnded();
        return (async function* () {
          yield* state.logLines;
          if (opts.follow) await ended;
        })();
      },
    },
    images: {
      exists: record('images.exists', (name: string) => state.localImages.has(name)),
      inspect: record('images.inspect', (name: string) => ({ Id: `sha256:${name}`, Size: 10, Architecture: 'amd64', RepoTags: [name] })),
      inspectRemote: record('images.inspectRemote', (name: string) => {
        // One image exists in the fake's "registry".
        if (name === 'registry.test/app:1') return { Name: 'registry.test/app', Size: 5_242_880, Layers: ['sha256:a', 'sha256:b'], Architecture: 'arm64', Labels: { maintainer: 'ops' } };
        throw new SelkieError('registry', `reading manifest ${name}: name unknown`);
      }),
      pull: record('images.pull', async (ref: string, opts: { onProgress?: (p: PullProgress) => void }) => {
        opts.onProgress?.({ kind: 'resolving', reference: ref });
        opts.onProgress?.({ kind: 'blob', digest: 'sha256:a', state: 'done', received: 5, total: 5 });
        return 'sha256:pulled';
      }),
      list: record('images.list', () => state.images),
      history: record('images.history', () => [{ Id: 'sha256:img', Created: 1_700_000_000, CreatedBy: 'import busybox-static', Tags: null, Size: 2_140_160, Comment: 'from Debian' }]),
    },
    pods: {
      create: record('pods.create', (o: { name?: string }) => ({ id: `pod${++podCounter}`, name: o.name ?? 'pod' })),
      start: record('pods.start', (id: string) => ({ id, errors: [] })),
      stop: record('pods.stop', (id: string) => ({ id, errors: [] })),
      remove: record('pods.remove', (id: string) => ({ id, removed: [] })),
      list: record('pods.list', () => []),
    },
    kube: { generate: record('kube.generate', () => 'apiVersion: v1\n') },
    system: {},
  };
  const strict = (name: string, o: Record<string, unknown>) =>
    new Proxy(o, {
      get: (t, k) => {
        if (typeof k === 'symbol' || k === 'then') return undefined;
        if (!(k in t)) throw new Error(`fake engine: ${name}.${k} is not faked`);
        return t[k];
      },
    });
  const engine = {
    containers: strict('containers', services.containers),
    images: strict('images', services.images),
    pods: strict('pods', services.pods),
    kube: strict('kube', services.kube),
    system: strict('system', services.system),
    close: async () => undefined,
  } as unknown as Engine;
  return { engine, calls, failures, endLogs: () => endLogs(), ...state } as FakeEngine & typeof state;
}
