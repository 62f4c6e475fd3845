/**
 * `history`: the config's history entries, newest first, with the size of the layer each non-empty
 * entry made. As Docker shows it, the topmost entry carries the image ID and names; the others
 * show "<missing>" (their intermediate images are not stored). An image without history gets one
 * row per layer.
 */
import type { ImageRecord, LayerRecord } from './image-store.js';
import type { ImageHistoryEntry } from '../types/image-ops.js';
import { chainIds } from '../util/ids.js';

export function imageHistory(img: ImageRecord, getLayer: (chainId: string) => LayerRecord | undefined): ImageHistoryEntry[] {
  const c = img.config;
  const chains = chainIds(c.rootfs.diff_ids).map((id) => id.replace(/^sha256:/, ''));
  const sizes = chains.map((id) => getLayer(id)?.uncompressedSize ?? 0);
  const fallbackCreated = toUnix(c.created) ?? img.created;
  const history = c.history && c.history.length > 0 ? c.history : c.rootfs.diff_ids.map(() => ({ created: c.created }));
  let layer = 0;
  const rows: ImageHistoryEntry[] = history.map((h) => {
    const empty = 'empty_layer' in h && h.empty_layer === true;
    const size = empty ? 0 : (sizes[layer++] ?? 0);
    return {
      Id: '<missing>',
      Created: toUnix(h.created) ?? fallbackCreated,
      CreatedBy: ('created_by' in h ? h.created_by : undefined) ?? '',
      Tags: null,
      Size: size,
      Comment: ('comment' in h ? h.comment : undefined) ?? '',
    };
  });
  rows.reverse();
  if (rows[0]) {
    rows[0].Id = `sha256:${img.id}`;
    rows[0].Tags = img.names.length > 0 ? [...img.names] : null;
  }
  return rows;
}

function toUnix(t: string | undefined): number | undefined {
  if (!t) return undefined;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
}
