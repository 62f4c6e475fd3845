/** io.selkie's container methods: the Engine's ContainerService, its JSON shapes as they are. */
import { pipeline } from 'node:stream/promises';
import type { Engine } from '../../engine.js';
import type { MethodHandler, CallInfo } from '../service.js';
import { liveStream, upgradeReply } from '../service.js';
import { invalid } from '../../errors.js';
import { serveEngineStream } from './engine-stream.js';

type O = Record<string, unknown>;
interface Streams {
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
}

function requireUpgrade(call: CallInfo): void {
  if (!call.upgrade) throw invalid(`${call.method} with streams needs an upgraded connection (call it with "upgrade": true)`);
}

export function engineContainerMethods(engine: Engine): Record<string, MethodHandler> {
  const c = engine.containers;
  return {
    CreateContainer: async (p: { options: O }) => c.create(p.options as never),
    StartContainer: async (p: { name: string } & Streams, call: CallInfo) => {
      if (!p.stdin && !p.stdout && !p.stderr) return c.start(p.name).then(() => ({}));
      requireUpgrade(call);
      return upgradeReply({}, (socket) =>
        serveEngineStream(socket, (io) => c.start(p.name, { stdin: p.stdin ? io.stdin : undefined, stdout: p.stdout ? io.stdout : undefined, stderr: p.stderr ? io.stderr : undefined, resize: io.resize })),
      );
    },
    WaitContainer: async (p: { name: string }) => ({ exitCode: await c.wait(p.name) }),
    StopContainer: async (p: { name: string; timeout?: number }) => c.stop(p.name, { timeout: p.timeout }).then(() => ({})),
    KillContainer: async (p: { name: string; signal?: string }) => c.kill(p.name, p.signal).then(() => ({})),
    RemoveContainer: async (p: { name: string; force: boolean; volumes: boolean }) => c.remove(p.name, { force: p.force, volumes: p.volumes }).then(() => ({})),
    ListContainers: async (p: { options: O }) => ({ containers: await c.list(p.options) }),
    InspectContainer: async (p: { name: string }) => ({ container: await c.inspect(p.name) }),
    ContainerStats: async (p: { names: string[] }) => ({ stats: await c.stats(p.names) }),
    ContainerLogs: async (p: { name: string; options: O }) => {
      const lines = c.logs(p.name, p.options);
      return liveStream(
        (async function* () {
          for await (const line of lines) yield { line };
        })(),
      );
    },
    CleanupContainer: async (p: { name: string; remove?: boolean; run?: string }) => c.cleanup(p.name, { remove: p.remove, run: p.run }).then(() => ({})),
    RestartContainer: async (p: { name: string; timeout?: number }) => c.restart(p.name, { timeout: p.timeout }).then(() => ({})),
    PauseContainer: async (p: { name: string }) => c.pause(p.name).then(() => ({})),
    UnpauseContainer: async (p: { name: string }) => c.unpause(p.name).then(() => ({})),
    RenameContainer: async (p: { name: string; newName: string }) => c.rename(p.name, p.newName).then(() => ({})),
    PruneContainers: async (p: { filters: Record<string, string[]> }) => ({ report: await c.prune({ filters: p.filters }) }),
    ExecInContainer: async (p: { name: string; options: O } & Streams, call: CallInfo) => {
      const opts = p.options as never as import('../../types/container-ops.js').ExecOptions;
      if (opts.detach || (!p.stdin && !p.stdout && !p.stderr)) return { result: await c.exec(p.name, opts) };
      requireUpgrade(call);
      return upgradeReply({}, (socket) =>
        serveEngineStream(socket, (io) => c.exec(p.name, opts, { stdin: p.stdin ? io.stdin : undefined, stdout: p.stdout ? io.stdout : undefined, stderr: p.stderr ? io.stderr : undefined, resize: io.resize })),
      );
    },
    AttachContainer: async (p: { name: string; options: O } & Streams, call: CallInfo) => {
      requireUpgrade(call);
      return upgradeReply({}, (socket) =>
        serveEngineStream(socket, (io) =>
          c.attach(p.name, { stdin: p.stdin ? io.stdin : undefined, stdout: p.stdout ? io.stdout : undefined, stderr: p.stderr ? io.stderr : undefined, resize: io.resize, signal: io.closed }, p.options),
        ),
      );
    },
    TopContainer: async (p: { name: string; descriptors: string[] }) => ({ top: await c.top(p.name, p.descriptors.length ? p.descriptors : undefined) }),
    MountContainer: async (p: { name: string }) => ({ path: await c.mount(p.name) }),
    UnmountContainer: async (p: { name: string }) => c.unmount(p.name).then(() => ({})),
    ExportContainer: async (p: { name: string }, call: CallInfo) => {
      requireUpgrade(call);
      return upgradeReply({}, (socket) =>
        serveEngineStream(socket, async (io) => {
          const tar = await c.export(p.name);
          await io.early(null);
          await pipeInto(tar, io.stdout);
          return null;
        }),
      );
    },
    StatContainerPath: async (p: { name: string; path: string; options: O }) => ({ stat: await c.statPath(p.name, p.path, p.options) }),
    CopyFromContainer: async (p: { name: string; path: string; options: O }, call: CallInfo) => {
      requireUpgrade(call);
      return upgradeReply({}, (socket) =>
        serveEngineStream(socket, async (io) => {
          const { stat, tar } = await c.copyFrom(p.name, p.path, p.options);
          await io.early(stat);
          await pipeInto(tar, io.stdout);
          return null;
        }),
      );
    },
    CopyToContainer: async (p: { name: string; path: string; options: O }, call: CallInfo) => {
      requireUpgrade(call);
      return upgradeReply({}, (socket) => serveEngineStream(socket, (io) => c.copyTo(p.name, p.path, io.stdin, p.options).then(() => null)));
    },
    DiffContainer: async (p: { name: string }) => ({ changes: await c.diff(p.name) }),
    CommitContainer: async (p: { name: string; options: O }) => ({ id: await c.commit(p.name, p.options) }),
  };
}

/** Copy a readable into a frame writer and end it. */
export async function pipeInto(from: NodeJS.ReadableStream, to: NodeJS.WritableStream): Promise<void> {
  await pipeline(from, to);
}
