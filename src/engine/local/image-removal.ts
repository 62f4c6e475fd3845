/**
 * Deleting image records and then the layers no image reaches any more, shared by `rmi` and
 * `image prune`: the records go in one transaction, the layers' files after it (a crash in between
 * leaves only unreferenced layer directories, which the next removal's query no longer lists).
 */
import type { Resources } from './resources.js';

export interface RemovedLayers {
  /** Chain IDs of the layers removed. */
  layers: string[];
  /** Their uncompressed sizes, summed. */
  bytes: number;
}

export async function deleteImagesAndLayers(res: Resources, imageIds: readonly string[]): Promise<RemovedLayers> {
  const store = await res.images();
  const db = await res.db();
  const storage = await res.storage();
  let doomed: string[] = [];
  let bytes = 0;
  db.transaction(() => {
    for (const id of imageIds) store.delete(id);
    doomed = store.unreferencedLayers();
    for (const l of doomed) {
      bytes += store.getLayer(l)?.uncompressedSize ?? 0;
      store.deleteLayer(l);
    }
  }).immediate();
  for (const l of doomed) await storage.removeLayer(l);
  return { layers: doomed, bytes };
}

/** IDs of the images containers use. */
export async function imagesInUse(res: Resources): Promise<Set<string>> {
  const db = await res.db();
  const rows = db.prepare('SELECT DISTINCT image_id FROM containers WHERE image_id IS NOT NULL').all() as { image_id: string }[];
  return new Set(rows.map((r) => r.image_id));
}
