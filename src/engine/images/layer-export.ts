/**
 * A stored layer as the uncompressed tar its image's config names by diffID: the storage driver
 * rebuilds the original bytes (tar-split), and the stream is checked against the diffID and the size
 * as it flows, failing at its end if they differ, so a saved archive never claims a digest its
 * bytes do not have.
 */
import crypto from 'node:crypto';
import { Transform, type Readable } from 'node:stream';
import { SelkieError } from '../errors.js';
import type { StorageDriver } from '../storage/storage-driver.js';
import type { LayerRecord } from './image-store.js';

export function exportLayer(storage: StorageDriver, layer: LayerRecord): Readable {
  const hash = crypto.createHash('sha256');
  let size = 0;
  const check = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      hash.update(chunk);
      size += chunk.length;
      if (size > layer.uncompressedSize) return cb(mismatch(layer, `it is longer than the ${layer.uncompressedSize} bytes recorded`));
      cb(null, chunk);
    },
    flush(cb) {
      const digest = `sha256:${hash.digest('hex')}`;
      if (size !== layer.uncompressedSize) return cb(mismatch(layer, `it has ${size} bytes, not the ${layer.uncompressedSize} recorded`));
      if (digest !== layer.diffId) return cb(mismatch(layer, `its digest is ${digest}, not ${layer.diffId}`));
      cb();
    },
  });
  const src = storage.layerTar(layer.id);
  src.on('error', (e) => check.destroy(e));
  return src.pipe(check);
}

function mismatch(layer: LayerRecord, what: string): SelkieError {
  return new SelkieError('state', `layer ${layer.diffId} cannot be exported exactly: ${what}`, {
    hint: 'remove the image and pull or import it again',
  });
}
