/**
 * io.podman container calls beyond the lifecycle: EvictContainer, GetContainersByContext,
 * GetContainersLogs (LogLine replies with `more`, several containers merged as their lines come),
 * ListContainerMounts (containers whose root filesystem is mounted now, and where) and InitContainer.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describeError } from '../../errors.js';
import type { Engine } from '../../engine.js';
import type { LogLine } from '../../types/container.js';
import type { CallInfo, MethodHandler, Parameters } from '../service.js';
import { liveStream } from '../service.js';
import { forContainer, podmanError } from './podman-errors.js';

interface LogsParams {
  names: string[];
  follow: boolean;
  latest: boolean;
  since: string;
  tail: number;
  timestamps: boolean;
}

/** The IDs a context names: every container, the latest created one, or each of `names`. */
async function containersByContext(engine: Engine, all: boolean, latest: boolean, names: string[]): Promise<string[]> {
  if (all) return (await engine.containers.list({ all: true })).map((c) => c.Id);
  if (latest) {
    const newest = [...(await engine.containers.list({ all: true }))].sort((a, b) => b.Created - a.Created)[0];
    if (!newest) throw podmanError.containerNotFound('', 'there are no containers (latest asked for)');
    return [newest.Id];
  }
  return Promise.all(names.map((n) => forContainer(n, async () => (await engine.containers.inspect(n)).Id)));
}

/** Lines of several log iterators as they arrive (each source's lines stay in order). */
async function* merged(sources: { id: string; lines: AsyncIterable<LogLine> }[], signal: AbortSignal): AsyncIterable<{ id: string; line: LogLine }> {
  const its = sources.map((s) => ({ id: s.id, it: s.lines[Symbol.asyncIterator]() }));
  const next = (i: number) => its[i]!.it.next().then((r) => ({ i, r }));
  const pending = new Map(its.map((_, i) => [i, next(i)]));
  const left = new Promise<undefined>((resolve) => {
    if (signal.aborted) resolve(undefined);
    signal.addEventListener('abort', () => resolve(undefined), { once: true });
  });
  try {
    while (pending.size) {
      const got = await Promise.race([...pending.values(), left]);
      if (!got) return;
      if (got.r.done) {
        pending.delete(got.i);
        continue;
      }
      pending.set(got.i, next(got.i));
      yield { id: its[got.i]!.id, line: got.r.value };
    }
  } finally {
    for (const s of its) void s.it.return?.();
  }
}

/** Mount points of this mount namespace (the service's, where the engine mounts containers). */
function mountPoints(): string[] {
  try {
    // mountinfo field 5 is the mount point, with spaces etc. octal-escaped.
    return fs
      .readFileSync('/proc/self/mountinfo', 'utf8')
      .split('\n')
      .map((l) => l.split(' ')[4])
      .filter((p): p is string => Boolean(p))
      .map((p) => p.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8))));
  } catch {
    return [];
  }
}

export function containerExtraMethods(engine: Engine): Record<string, MethodHandler> {
  const c = engine.containers;
  return {
    // Podman 1.9 answered every failure of an eviction with ErrorOccurred.
    EvictContainer: async (p: { name: string; removeVolumes: boolean }) => {
      try {
        const { Id } = await c.inspect(p.name);
        await c.remove(Id, { force: true, volumes: p.removeVolumes });
        return { container: Id };
      } catch (e) {
        throw podmanError.errorOccurred(describeError(e));
      }
    },
    GetContainersByContext: async (p: { all: boolean; latest: boolean; args: string[] }) => ({ containers: await containersByContext(engine, p.all, p.latest, p.args) }),
    GetContainersLogs: async (p: LogsParams, call: CallInfo) => {
      let since: number | undefined;
      if (p.since) {
        since = Date.parse(p.since);
        if (Number.isNaN(since)) throw podmanError.errorOccurred(`since ${JSON.stringify(p.since)} is not an RFC 3339 time (2020-05-01T10:00:00.000000000Z)`);
      }
      const ids = await containersByContext(engine, false, p.latest, p.names);
      const opts = { follow: p.follow, since, tail: p.tail > 0 ? p.tail : undefined };
      // A log that cannot be read (the "none" driver) fails the stream with ErrorOccurred.
      const sources = ids.map((id) => ({ id, lines: c.logs(id, opts) }));
      const items = (async function* (): AsyncIterable<Parameters> {
        for await (const { id, line } of merged(sources, call.signal)) {
          yield { log: { device: line.stream, parseLogType: line.partial ? 'P' : 'F', time: line.time, msg: line.text, cid: id } };
        }
      })();
      // As Podman: one LogLine per reply, then an empty one that ends the stream.
      return liveStream(items, () => ({ log: { device: '', parseLogType: '', time: '', msg: '', cid: '' } }));
    },
    ListContainerMounts: async () => {
      const { graphRoot } = (await engine.system.info()).store;
      const under = mountPoints().filter((m) => m.startsWith(`${graphRoot}/`));
      const mounts: Record<string, string> = {};
      for (const info of await c.list({ all: true })) {
        const at = under.find((m) => m.split(path.sep).includes(info.Id));
        if (at) mounts[info.Id] = at;
      }
      return { mounts };
    },
    InitContainer: async (p: { name: string }) => {
      const inspect = await forContainer(p.name, () => c.inspect(p.name));
      const state = inspect.State.Status;
      if (state !== 'created' && state !== 'exited' && state !== 'stopped') {
        throw podmanError.invalidState(inspect.Id, `container ${inspect.Id} has already been created in runtime: it is ${state}`);
      }
      throw podmanError.errorOccurred(
        `initializing container ${p.name} without starting it is not supported by selkie (its runtime container is created by the start itself): use StartContainer, or Attach with start to watch it from its first output`,
      );
    },
  };
}
