/**
 * io.podman container methods on the Engine: list/get/inspect, the lifecycle calls (each replies
 * with the container's full ID, as Podman 1.9), wait, logs (followed with `more`) and processes.
 */
import type { Engine } from '../../engine.js';
import type { LogLine } from '../../types/container.js';
import type { CallInfo, MethodHandler } from '../service.js';
import { podmanContainer } from './container-struct.js';
import { forContainer, podmanError } from './podman-errors.js';

type Name = { name: string };

export function containerMethods(engine: Engine): Record<string, MethodHandler> {
  const c = engine.containers;
  /** Resolve a name to the full ID first, so the reply names the container even after removal. */
  const idOf = async (name: string) => (await c.inspect(name)).Id;
  const lifecycle = (name: string, act: (id: string) => Promise<unknown>) =>
    forContainer(name, async () => {
      const id = await idOf(name);
      await act(id);
      return { container: id };
    });

  return {
    ListContainers: async () => {
      const list = await c.list({ all: true });
      const inspected = await Promise.all(list.map((i) => c.inspect(i.Id).catch(() => undefined)));
      return { containers: list.map((info, n) => podmanContainer(info, inspected[n])) };
    },
    GetContainer: (p: { id: string }) =>
      forContainer(p.id, async () => {
        const inspect = await c.inspect(p.id);
        const info = (await c.list({ all: true })).find((i) => i.Id === inspect.Id);
        if (!info) throw podmanError.containerNotFound(p.id, `container ${JSON.stringify(p.id)} was removed`);
        return { container: podmanContainer(info, inspect) };
      }),
    GetContainersByStatus: async (p: { status: string[] }) => {
      const wanted = new Set(p.status.map((s) => (s === 'configured' ? 'created' : s)));
      const list = (await c.list({ all: true })).filter((i) => wanted.has(i.State));
      const inspected = await Promise.all(list.map((i) => c.inspect(i.Id).catch(() => undefined)));
      return { containerS: list.map((info, n) => podmanContainer(info, inspected[n])) };
    },
    InspectContainer: (p: Name) => forContainer(p.name, async () => ({ container: JSON.stringify(await c.inspect(p.name)) })),
    ContainerExists: async (p: Name) => ({ exists: (await c.inspect(p.name).then(() => true, () => false)) ? 0 : 1 }),
    StartContainer: (p: Name) => lifecycle(p.name, (id) => c.start(id)),
    StopContainer: (p: Name & { timeout: number }) => lifecycle(p.name, (id) => c.stop(id, p.timeout > 0 ? { timeout: p.timeout } : {})),
    RestartContainer: (p: Name & { timeout: number }) => lifecycle(p.name, (id) => c.restart(id, p.timeout > 0 ? { timeout: p.timeout } : {})),
    // Podman 1.9: -1 means the default SIGTERM; a missing signal (0) is taken the same way.
    KillContainer: (p: Name & { signal: number }) => lifecycle(p.name, (id) => c.kill(id, p.signal > 0 ? String(p.signal) : 'SIGTERM')),
    PauseContainer: (p: Name) => lifecycle(p.name, (id) => c.pause(id)),
    UnpauseContainer: (p: Name) => lifecycle(p.name, (id) => c.unpause(id)),
    RemoveContainer: (p: Name & { force: boolean; removeVolumes: boolean }) =>
      lifecycle(p.name, (id) => c.remove(id, { force: p.force, volumes: p.removeVolumes })),
    WaitContainer: (p: Name & { interval: number }) => forContainer(p.name, async () => ({ exitcode: await c.wait(p.name) })),
    GetContainerLogs: (p: Name, call: CallInfo) => containerLogs(engine, p.name, call),
    ListContainerProcesses: (p: Name & { opts: string[] }) =>
      forContainer(p.name, async () => {
        // Podman 1.9 replaced its default descriptors only when more than one was given.
        const descriptors = p.opts.length > 1 ? p.opts : ['user', 'pid', 'ppid', 'pcpu', 'etime', 'tty', 'time', 'comm'];
        return { container: await processRows(engine, p.name, descriptors) };
      }),
    DeleteStoppedContainers: async () => ({ containers: (await c.prune()).removed }),
    MountContainer: (p: Name) => forContainer(p.name, async () => ({ path: await c.mount(p.name) })),
    UnmountContainer: (p: Name & { force: boolean }) =>
      forContainer(p.name, async () => {
        await c.unmount(p.name);
        return {};
      }),
    Top: (p: { nameOrID: string; descriptors: string[] }) =>
      forContainer(p.nameOrID, async () => ({ top: await processRows(engine, p.nameOrID, p.descriptors) })),
  };
}

/** The process table as Podman's varlink API gave it: the header row, then one row per process, tab-separated. */
async function processRows(engine: Engine, name: string, descriptors: string[]): Promise<string[]> {
  const inspect = await engine.containers.inspect(name);
  if (!inspect.State.Running) throw podmanError.errorOccurred(`container ${name} is not running`);
  const top = await engine.containers.top(name, descriptors);
  return [top.titles, ...top.processes].map((row) => row.join('\t'));
}

/** A log line as it is in the k8s-file log, which is what Podman 1.9 returned. */
function logFileLine(l: LogLine): string {
  return `${l.time} ${l.stream} ${l.partial ? 'P' : 'F'} ${l.text}\n`;
}

/**
 * Without `more`: every line so far in one reply. With `more`: the log is followed until the
 * container exits (or the client leaves), one reply per line, then a last empty reply.
 */
async function containerLogs(engine: Engine, name: string, call: CallInfo) {
  const found = await forContainer(name, () => engine.containers.inspect(name));
  if (!call.more) {
    const lines: string[] = [];
    await forContainer(name, async () => {
      for await (const l of engine.containers.logs(found.Id)) lines.push(logFileLine(l));
    });
    return { container: lines };
  }
  return (async function* () {
    const lines = engine.containers.logs(found.Id, { follow: true })[Symbol.asyncIterator]();
    // A client that leaves stops the follow at once, not at the container's next line.
    const left = new Promise<IteratorResult<LogLine>>((resolve) => {
      if (call.signal.aborted) resolve({ done: true, value: undefined });
      call.signal.addEventListener('abort', () => resolve({ done: true, value: undefined }), { once: true });
    });
    try {
      for (;;) {
        const next = await Promise.race([lines.next(), left]);
        if (next.done) break;
        yield { container: [logFileLine(next.value)] };
      }
    } finally {
      void lines.return?.();
    }
    if (!call.signal.aborted) yield { container: [] as string[] };
  })();
}
