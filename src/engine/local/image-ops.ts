/**
 * The local engine's history, untag, prune, save and load: LocalImageService delegates here, with
 * its name resolution (`resolve`) and the search registries short names are looked up under.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { invalid, SelkieError } from '../errors.js';
import type { ImageRecord, LayerRecord } from '../images/image-store.js';
import { imageHistory } from '../images/image-history.js';
import { pruneCandidates } from '../images/image-prune.js';
import { lookupCandidates, qualifyForStorage } from '../images/local-names.js';
import type { ImageToSave } from '../images/archive/archive-types.js';
import type { ImageHistoryEntry, ImageLoadReport, ImagePruneOptions, ImagePruneReport, ImageSaveOptions } from '../types/image-ops.js';
import { chainIds } from '../util/ids.js';
import { deleteImagesAndLayers, imagesInUse } from './image-removal.js';
import type { Resources } from './resources.js';

export interface Lookup {
  resolve(nameOrId: string): Promise<ImageRecord>;
  searchRegistries(): string[];
}

export async function historyOf(res: Resources, img: ImageRecord): Promise<ImageHistoryEntry[]> {
  const store = await res.images();
  return imageHistory(img, (id) => store.getLayer(id));
}

export async function untagImage(res: Resources, img: ImageRecord, names: readonly string[]): Promise<string[]> {
  const store = await res.images();
  const doomed = names.length === 0 ? [...img.names] : names.map((n) => qualifyForStorage(n));
  for (const n of doomed) {
    if (!img.names.includes(n)) throw new SelkieError('not-found', `image ${img.id.slice(0, 12)} has no name ${JSON.stringify(n)}`, { hint: `its names: ${img.names.join(', ') || 'none'}` });
  }
  for (const n of doomed) store.removeName(n);
  return doomed;
}

export async function pruneImages(res: Resources, opts: ImagePruneOptions): Promise<ImagePruneReport> {
  const store = await res.images();
  const doomed = pruneCandidates(store.list(), await imagesInUse(res), opts);
  if (doomed.length === 0) return { untagged: [], deleted: [], spaceReclaimed: 0 };
  const removed = await deleteImagesAndLayers(res, doomed.map((i) => i.id));
  return { untagged: doomed.flatMap((i) => i.names), deleted: doomed.map((i) => `sha256:${i.id}`), spaceReclaimed: removed.bytes };
}

export async function saveImages(res: Resources, lookup: Lookup, namesOrIds: readonly string[], out: Writable, opts: ImageSaveOptions): Promise<void> {
  const format = opts.format ?? 'docker-archive';
  if (format !== 'docker-archive' && format !== 'oci-archive') throw invalid(`unknown archive format ${JSON.stringify(format)}`, 'use docker-archive or oci-archive');
  if (namesOrIds.length === 0) throw invalid('no image to save');
  const store = await res.images();
  const byId = new Map<string, ImageToSave>();
  for (const arg of namesOrIds) {
    const image = await lookup.resolve(arg);
    let entry = byId.get(image.id);
    if (!entry) {
      const layers = chainIds(image.config.rootfs.diff_ids).map((c) => {
        const l: LayerRecord | undefined = store.getLayer(c.replace(/^sha256:/, ''));
        if (!l) throw new SelkieError('state', `a layer of image ${image.id.slice(0, 12)} is missing from the local storage`, { hint: 'remove the image and pull it again' });
        return l;
      });
      entry = { image, names: [], layers };
      byId.set(image.id, entry);
    }
    // Saved by name: that name; by ID: no name (Docker's rule).
    const candidates = lookupCandidates(arg, lookup.searchRegistries()).names;
    const name = image.names.find((n) => candidates.includes(n)) ?? (image.names.length > 0 && !isIdLike(arg, image.id) ? image.names[0] : undefined);
    if (name && !entry.names.includes(name)) entry.names.push(name);
  }
  const { saveArchive } = await import('../images/archive/save-archive.js');
  await saveArchive([...byId.values()], format, out, await res.storage());
}

export async function loadImages(res: Resources, source: Readable): Promise<ImageLoadReport> {
  const { loadArchive } = await import('../images/archive/load-archive.js');
  const tmpDir = path.join(res.paths.graphRoot, 'tmp');
  fs.mkdirSync(tmpDir, { recursive: true, mode: 0o700 });
  return loadArchive(source, { storage: await res.storage(), store: await res.images(), tmpDir });
}

function isIdLike(arg: string, id: string): boolean {
  const hex = arg.replace(/^sha256:/, '');
  return /^[0-9a-f]+$/.test(hex) && id.startsWith(hex);
}
