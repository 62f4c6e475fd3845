/** images.*: list, inspect, history, check (local or in a registry), pull with progress, remove, prune. */
import { describeError, SelkieError } from '../../engine/errors.js';
import type { PullProgress } from '../../engine/registry/pull-types.js';
import type { MethodContext, MethodTable } from './method-types.js';
import { optBool, str } from './params.js';

/** Progress is sent at most every PROGRESS_MS per blob (and always for state changes). */
const PROGRESS_MS = 100;

async function pull(ctx: MethodContext, reference: string, tlsVerify: boolean | undefined): Promise<{ id: string }> {
  const lastSent = new Map<string, number>();
  const onProgress = (p: PullProgress) => {
    if (ctx.signal.aborted) return;
    if (p.kind === 'blob' && p.state === 'copying') {
      const now = Date.now();
      if (now - (lastSent.get(p.digest) ?? 0) < PROGRESS_MS) return;
      lastSent.set(p.digest, now);
    }
    ctx.emit(p);
  };
  const id = await ctx.engine.images.pull(reference, { onProgress, tlsVerify });
  return { id };
}

/**
 * Whether the image a dialog names can be used: present locally, or found in a registry (then its
 * size, layers and architecture, without pulling). Neither is a not-found error naming the image.
 */
async function check(ctx: MethodContext, reference: string, tlsVerify: boolean | undefined) {
  const { images } = ctx.engine;
  if (await images.exists(reference)) {
    const i = await images.inspect(reference);
    return { local: true, id: i.Id, size: i.Size, architecture: i.Architecture, tags: i.RepoTags };
  }
  try {
    const r = await images.inspectRemote(reference, { tlsVerify });
    return { local: false, name: r.Name, size: r.Size, layers: r.Layers.length, architecture: r.Architecture, labels: r.Labels ?? {} };
  } catch (e) {
    throw new SelkieError('not-found', `image "${reference}" is not stored here and could not be found in a registry: ${describeError(e)}`, {
      hint: 'check the name, or pull it first from the Images tab',
    });
  }
}

export const imageMethods: MethodTable = {
  'images.list': { run: ({ engine }, p) => engine.images.list({ all: optBool(p, 'all') }) },
  'images.inspect': { run: ({ engine }, p) => engine.images.inspect(str(p, 'name')) },
  'images.history': { run: ({ engine }, p) => engine.images.history(str(p, 'name')) },
  'images.check': { run: (ctx, p) => check(ctx, str(p, 'reference'), optBool(p, 'tlsVerify')) },
  'images.pull': { changes: ['images'], run: (ctx, p) => pull(ctx, str(p, 'reference'), optBool(p, 'tlsVerify')) },
  'images.remove': { changes: ['images'], run: ({ engine }, p) => engine.images.remove(str(p, 'name'), { force: optBool(p, 'force') }) },
  'images.untag': { changes: ['images'], run: ({ engine }, p) => engine.images.untag(str(p, 'name'), [str(p, 'tag')]) },
  'images.prune': { changes: ['images'], run: ({ engine }, p) => engine.images.prune({ all: optBool(p, 'all') }) },
};
