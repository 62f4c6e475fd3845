/**
 * `import`: a tar stream (plain or gzip) becomes a one-layer image. The stream is spooled to a temp
 * file while its digest (the diffID, which names the layer) is computed, then applied by the storage
 * driver; the image record is written last, in one transaction, so a failure leaves no image.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ImageStore } from './image-store.js';
import type { StorageDriver } from '../storage/storage-driver.js';
import type { ImageConfig, ImageImportOptions } from '../types/image.js';
import { applyChanges } from './config-changes.js';
import { decompressed } from './decompress.js';
import { qualifyForStorage } from './local-names.js';
import { randomId, sha256Hex } from '../util/ids.js';
import { hostArch, hostOs } from '../util/host-platform.js';

export async function importImage(
  source: Readable,
  opts: ImageImportOptions,
  deps: { storage: StorageDriver; store: ImageStore; tmpDir: string },
): Promise<string> {
  const name = opts.reference ? qualifyForStorage(opts.reference) : undefined;
  const base: NonNullable<ImageConfig['config']> = {};
  const cfg = applyChanges(base, opts.changes ?? []);

  fs.mkdirSync(deps.tmpDir, { recursive: true, mode: 0o700 });
  const spool = path.join(deps.tmpDir, `import-${randomId().slice(0, 16)}.tar`);
  try {
    const input = await decompressed(source, 'the import source');
    const hash = crypto.createHash('sha256');
    let size = 0;
    const tee = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        hash.update(chunk);
        size += chunk.length;
        cb(null, chunk);
      },
    });
    await pipeline(input, tee, fs.createWriteStream(spool));
    const diffHex = hash.digest('hex');
    const diffId = `sha256:${diffHex}`;

    if (!(await deps.storage.layerExists(diffHex))) {
      await deps.storage.createLayer(diffHex, null, fs.createReadStream(spool));
    }
    const now = new Date();
    const config: ImageConfig = {
      created: now.toISOString(),
      architecture: opts.architecture ?? hostArch(),
      os: opts.os ?? hostOs(),
      config: cfg,
      rootfs: { type: 'layers', diff_ids: [diffId] },
      history: [{ created: now.toISOString(), created_by: 'selkie import', comment: opts.message ?? '' }],
    };
    const configRaw = JSON.stringify(config);
    const id = sha256Hex(configRaw);
    deps.store.save(
      {
        id,
        topLayer: diffHex,
        config,
        configRaw,
        manifest: null,
        manifestType: null,
        digest: null,
        size,
        created: Math.floor(now.getTime() / 1000),
        stored: Math.floor(now.getTime() / 1000),
      },
      {
        names: name ? [name] : [],
        layers: [{ id: diffHex, parent: null, diffId, uncompressedSize: size, compressedDigest: null, compressedSize: null }],
      },
    );
    return id;
  } finally {
    fs.rmSync(spool, { force: true });
  }
}
