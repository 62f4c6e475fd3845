/** io.selkie's image methods: the Engine's ImageService; pull/push/copy stream their progress with `more`. */
import type { Engine } from '../../engine.js';
import { invalid } from '../../errors.js';
import type { CallInfo, MethodHandler, Parameters } from '../service.js';
import { liveStream, upgradeReply, type LiveStream } from '../service.js';
import { pipeInto } from './engine-containers.js';
import { serveEngineStream } from './engine-stream.js';

type O = Record<string, unknown>;

function requireUpgrade(call: CallInfo): void {
  if (!call.upgrade) throw invalid(`${call.method} streams a tar: call it with "upgrade": true`);
}

/** Run an engine call that reports progress through `onProgress`: one reply per event as it happens, then the result. */
function withProgress(run: (onProgress: (p: unknown) => void) => Promise<Parameters>): LiveStream {
  const queue: Parameters[] = [];
  let wake: (() => void) | undefined;
  let outcome: { value: Parameters } | { error: unknown } | undefined;
  run((progress) => {
    queue.push({ progress });
    wake?.();
  }).then(
    (value) => ((outcome = { value }), wake?.()),
    (error: unknown) => ((outcome = { error }), wake?.()),
  );
  const items = (async function* () {
    for (;;) {
      while (queue.length) yield queue.shift()!;
      if (outcome) {
        if ('error' in outcome) throw outcome.error;
        return;
      }
      await new Promise<void>((r) => (wake = r));
      wake = undefined;
    }
  })();
  return liveStream(items, () => (outcome && 'value' in outcome ? outcome.value : {}));
}

export function engineImageMethods(engine: Engine): Record<string, MethodHandler> {
  const i = engine.images;
  return {
    ImportImage: async (p: { options: O }, call: CallInfo) => {
      requireUpgrade(call);
      return upgradeReply({}, (socket) => serveEngineStream(socket, (io) => i.import(io.stdin, p.options as never)));
    },
    ListImages: async (p: { options: O }) => ({ images: await i.list(p.options) }),
    InspectImage: async (p: { name: string }) => ({ image: await i.inspect(p.name) }),
    ImageExists: async (p: { name: string }) => ({ exists: await i.exists(p.name) }),
    TagImage: async (p: { name: string; target: string }) => i.tag(p.name, p.target).then(() => ({})),
    RemoveImage: async (p: { name: string; force: boolean }) => i.remove(p.name, { force: p.force }),
    ImageHistory: async (p: { name: string }) => ({ history: await i.history(p.name) }),
    UntagImage: async (p: { name: string; names?: string[] }) => ({ untagged: await i.untag(p.name, p.names) }),
    PruneImages: async (p: { options: O }) => ({ report: await i.prune(p.options) }),
    SaveImages: async (p: { names: string[]; options: O }, call: CallInfo) => {
      requireUpgrade(call);
      return upgradeReply({}, (socket) =>
        serveEngineStream(socket, async (io) => {
          await i.save(p.names, io.stdout, p.options);
          return null;
        }),
      );
    },
    LoadImages: async (_p: O, call: CallInfo) => {
      requireUpgrade(call);
      return upgradeReply({}, (socket) => serveEngineStream(socket, (io) => i.load(io.stdin)));
    },
    PullImage: async (p: { reference: string; options: O }) =>
      withProgress(async (onProgress) => ({ id: await i.pull(p.reference, { ...p.options, onProgress }) })),
    PushImage: async (p: { name: string; destination?: string; options: O }) =>
      withProgress(async (onProgress) => ({ digest: await i.push(p.name, p.destination, { ...p.options, onProgress }) })),
    CopyImage: async (p: { source: string; destination: string; options: O }) =>
      withProgress(async (onProgress) => ({ digest: await i.copy(p.source, p.destination, { ...p.options, onProgress }) })),
    InspectImageInRegistry: async (p: { reference: string; options: O }) => ({ image: await i.inspectRemote(p.reference, p.options) }),
    InspectManifest: async (p: { reference: string; options: O }) => ({ manifest: await i.manifestInspect(p.reference, p.options) }),
    SearchImages: async (p: { term: string; options: O }) => ({ results: await i.search(p.term, p.options) }),
    Login: async (p: { registry: string; options: O }) => ({ stored: await i.login(p.registry, p.options as never) }),
    Logout: async (p: { registry?: string; all: boolean; authFile?: string }) => i.logout(p.registry, { all: p.all, authFile: p.authFile }).then(() => ({})),
  };
}

export { pipeInto };
