/**
 * A fake Engine for the bridge and UI tests: records every call, answers from small in-memory state,
 * fails where a test says so. Only what the bridge uses is implemented; anything else throws.
 */
import type { Engine } from '../../src/engine/engine.js';
import { SelkieError } from '../../src/engine/errors.js';
import type { PullProgress } from '../../src/engine/registry/pull-types.js';
import type { ContainerCreateOptions, ContainerInfo, LogLine } from '../../src/engine/types/container.js';

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
  const state: Omit<FakeEngine, 'engine' | 'calls' | 'failures' | 'endLogs'> = { containers: [container('web')], logLines: [], localImages: new Set(['localhost/busybox:latest']) };
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
        if (!state.containers.some((c) => c.Names[0] === name || c.Id === name)) throw new SelkieError('not-found', `container "${name}" not found`, { hint: 'list containers with selkie ps -a' });
        return { Id: name };
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
        throw new SelkieError('registry', `reading manifest ${name}: name unknown`);
      }),
      pull: record('images.pull', async (ref: string, opts: { onProgress?: (p: PullProgress) => void }) => {
        opts.onProgress?.({ kind: 'resolving', reference: ref });
        opts.onProgress?.({ kind: 'blob', digest: 'sha256:a', state: 'done', received: 5, total: 5 });
        return 'sha256:pulled';
      }),
      list: record('images.list', () => []),
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
