/**
 * io.podman image methods on the Engine: list (also with filters)/get/inspect, history, exists, tag/untag, remove,
 * prune, and PullImage,
 * whose progress streams as MoreResponse log lines when the client asks for `more`.
 */
import type { Engine } from '../../engine.js';
import type { PullProgress } from '../../registry/pull-types.js';
import type { ImageInspect } from '../../types/image.js';
import type { CallInfo, MethodHandler } from '../service.js';
import { forImage } from './podman-errors.js';
import { rfc3339 } from './go-format.js';

export function imageMethods(engine: Engine): Record<string, MethodHandler> {
  const images = engine.images;
  return {
    ListImages: async () => ({ images: await podmanImages(engine) }),
    // Podman's image filters (dangling, label, reference, before, since, id); a bad one is ErrorOccurred.
    ListImagesWithFilters: async (p: { filters: string[] }) => ({ images: await podmanImages(engine, undefined, filterMap(p.filters)) }),
    GetImage: (p: { id: string }) =>
      forImage(p.id, async () => {
        const wanted = await images.inspect(p.id);
        return { image: (await podmanImages(engine, wanted.Id))[0] };
      }),
    InspectImage: (p: { name: string }) => forImage(p.name, async () => ({ image: JSON.stringify(await images.inspect(p.name)) })),
    ImageExists: async (p: { name: string }) => ({ exists: (await images.exists(p.name)) ? 0 : 1 }),
    TagImage: (p: { name: string; tagged: string }) =>
      forImage(p.name, async () => {
        const { Id } = await images.inspect(p.name);
        await images.tag(p.name, p.tagged);
        return { image: Id };
      }),
    RemoveImage: (p: { name: string; force: boolean }) =>
      forImage(p.name, async () => {
        const { Id } = await images.inspect(p.name);
        await images.remove(p.name, { force: p.force });
        return { image: Id };
      }),
    RemoveImageWithResponse: (p: { name: string; force: boolean }) =>
      forImage(p.name, async () => {
        const r = await images.remove(p.name, { force: p.force });
        return { response: { untagged: r.untagged, deleted: r.deleted[0] ?? '' } };
      }),
    PullImage: (p: { name: string; creds: { username: string; password: string } }, call: CallInfo) => pullImage(engine, p, call),
    HistoryImage: (p: { name: string }) =>
      forImage(p.name, async () => ({
        history: (await images.history(p.name)).map((h) => ({
          id: h.Id,
          created: rfc3339(h.Created),
          createdBy: h.CreatedBy,
          tags: h.Tags ?? [],
          size: h.Size,
          comment: h.Comment,
        })),
      })),
    UntagImage: (p: { name: string; tag: string }) =>
      forImage(p.name, async () => {
        const { Id } = await images.inspect(p.name);
        await images.untag(p.name, p.tag ? [p.tag] : undefined);
        return { image: Id };
      }),
    ImagesPrune: async (p: { all: boolean; filter: string[] }) => ({ pruned: (await images.prune({ all: p.all, filters: filterMap(p.filter) })).deleted }),
    DeleteUnusedImages: async () => ({ images: (await images.prune({ all: true })).deleted }),
  };
}

/** ["label=a=b", "until=1h"] → { label: ["a=b"], until: ["1h"] } */
export function filterMap(filters: string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const f of filters) {
    const eq = f.indexOf('=');
    const key = eq < 0 ? f : f.slice(0, eq);
    (out[key] ??= []).push(eq < 0 ? '' : f.slice(eq + 1));
  }
  return out;
}

/** io.podman's Image struct for every image (or the one with `onlyId`, or those passing `filters`). */
async function podmanImages(engine: Engine, onlyId?: string, filters?: Record<string, string[]>) {
  const summaries = await engine.images.list({ all: true });
  // Filtered by the engine (its errors name a bad filter); isParent still looks at every image.
  const passing = filters ? new Set((await engine.images.list({ all: true, filters })).map((s) => s.Id)) : undefined;
  const inspected = (await Promise.all(summaries.map((s) => engine.images.inspect(s.Id).catch(() => undefined)))).filter((i): i is ImageInspect => Boolean(i));
  const users = new Map<string, number>();
  for (const c of await engine.containers.list({ all: true })) users.set(c.ImageID, (users.get(c.ImageID) ?? 0) + 1);
  const parents = new Set(inspected.map((i) => i.Parent).filter(Boolean));
  return inspected
    .filter((i) => (!onlyId || i.Id === onlyId) && (!passing || passing.has(i.Id)))
    .map((i) => ({
      id: i.Id,
      digest: i.Digest,
      digests: [...new Set([i.Digest, ...i.RepoDigests.map((d) => d.slice(d.indexOf('@') + 1))].filter(Boolean))],
      parentId: i.Parent,
      repoTags: i.RepoTags,
      repoDigests: i.RepoDigests,
      created: rfc3339(i.Created),
      size: i.Size,
      virtualSize: i.VirtualSize,
      containers: users.get(i.Id) ?? 0,
      labels: i.Labels ?? {},
      isParent: parents.has(i.Id),
      topLayer: i.RootFS.Layers[i.RootFS.Layers.length - 1] ?? '',
      readOnly: false,
      history: [] as string[],
    }));
}

/** Progress as the log lines Podman's pull printed. Each blob is reported once. */
function progressLine(p: PullProgress, seen: Set<string>): string | undefined {
  switch (p.kind) {
    case 'resolving':
      return `Trying to pull ${p.reference}...`;
    case 'signatures':
      return 'Getting image source signatures';
    case 'blob':
      if (p.state === 'done' || seen.has(p.digest)) return undefined;
      seen.add(p.digest);
      return p.state === 'skipped' ? `Copying blob ${p.digest} skipped: already exists` : `Copying blob ${p.digest}`;
    case 'config':
      return `Copying config ${p.digest}`;
    case 'writing-manifest':
      return 'Writing manifest to image destination';
    case 'present':
      return undefined;
  }
}

/**
 * Without `more`: one reply with every log line and the image ID. With `more`: a reply per line
 * (continues), then the last one with the ID.
 */
async function pullImage(engine: Engine, p: { name: string; creds: { username: string; password: string } }, call: CallInfo) {
  const lines: string[] = [];
  let wake: (() => void) | undefined;
  const seen = new Set<string>();
  const opts = {
    creds: p.creds.username ? `${p.creds.username}:${p.creds.password}` : undefined,
    onProgress: (progress: PullProgress) => {
      const line = progressLine(progress, seen);
      if (line === undefined) return;
      lines.push(`${line}\n`);
      wake?.();
    },
  };
  const pulled = forImage(p.name, () => engine.images.pull(p.name, opts));
  if (!call.more) {
    const id = await pulled;
    return { reply: { logs: lines, id } };
  }
  let id: string | undefined;
  let failure: unknown;
  let finished = false;
  pulled.then(
    (v) => (id = v),
    (e: unknown) => (failure = e),
  ).finally(() => {
    finished = true;
    wake?.();
  });
  return (async function* () {
    for (;;) {
      while (lines.length) yield { reply: { logs: [lines.shift()!], id: '' } };
      if (finished) break;
      await new Promise<void>((r) => (wake = r));
      wake = undefined;
    }
    if (failure !== undefined) throw failure;
    yield { reply: { logs: [] as string[], id: id ?? '' } };
  })();
}
