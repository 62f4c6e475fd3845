/**
 * `load`: the images of a docker-archive or oci-archive (plain or gzip) become local images. Every
 * config is checked against the digest the archive claims for it, and every layer (decompressed if
 * needed) against the config's diffID, before the image record is written; layers already stored
 * are not applied again. Image records are written last, one transaction per image.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { invalid } from '../../errors.js';
import type { StorageDriver } from '../../storage/storage-driver.js';
import type { ImageConfig } from '../../types/image.js';
import type { ImageLoadReport } from '../../types/image-ops.js';
import { chainIds, randomId } from '../../util/ids.js';
import { decompressed } from '../decompress.js';
import type { ImageStore, LayerRecord } from '../image-store.js';
import { ArchiveFiles } from './archive-files.js';
import type { ArchiveImage } from './archive-types.js';
import { isDockerArchive, readDockerArchive } from './docker-archive-reader.js';
import { isOciArchive, readOciArchive } from './oci-archive-reader.js';

const sha256 = (b: Buffer): string => `sha256:${crypto.createHash('sha256').update(b).digest('hex')}`;

export async function loadArchive(source: Readable, deps: { storage: StorageDriver; store: ImageStore; tmpDir: string }): Promise<ImageLoadReport> {
  const dir = path.join(deps.tmpDir, `load-${randomId().slice(0, 16)}`);
  try {
    const files = await ArchiveFiles.read(source, dir);
    let images: ArchiveImage[];
    if (isOciArchive(files)) images = readOciArchive(files);
    else if (isDockerArchive(files)) images = readDockerArchive(files);
    else throw invalid('the input is not an image archive (no manifest.json, no OCI index.json)', 'pass a file made by save (docker-archive or oci-archive)');
    if (images.length === 0) throw invalid('the archive holds no images');
    const report: ImageLoadReport = { names: [], ids: [] };
    for (const img of images) {
      const id = await loadImage(img, deps);
      report.ids.push(`sha256:${id}`);
      report.names.push(...img.names);
    }
    return report;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function loadImage(img: ArchiveImage, deps: { storage: StorageDriver; store: ImageStore }): Promise<string> {
  const digest = sha256(img.config);
  if (img.claimedConfigDigest && img.claimedConfigDigest !== digest) {
    throw invalid(`the archive's image config does not match its digest ${img.claimedConfigDigest} (it is ${digest})`, 'the archive is corrupt');
  }
  let config: ImageConfig;
  try {
    config = JSON.parse(img.config.toString('utf8')) as ImageConfig;
  } catch (e) {
    throw invalid(`an image config in the archive is not valid JSON: ${(e as Error).message}`);
  }
  const diffIds = config.rootfs?.diff_ids;
  if (!Array.isArray(diffIds) || diffIds.length !== img.layers.length) {
    throw invalid(`an image in the archive has ${img.layers.length} layer(s) but its config lists ${Array.isArray(diffIds) ? diffIds.length : 'no'} diffIDs`);
  }
  const chains = chainIds(diffIds).map((c) => c.replace(/^sha256:/, ''));
  const layers: LayerRecord[] = [];
  let size = 0;
  for (const [i, diffId] of diffIds.entries()) {
    const id = chains[i]!;
    const parent = i === 0 ? null : chains[i - 1]!;
    const known = deps.store.getLayer(id);
    if (known && (await deps.storage.layerExists(id))) {
      size += known.uncompressedSize;
      continue;
    }
    const stream = await decompressed(img.layers[i]!(), `layer ${i + 1} of the archive`);
    const applied = await deps.storage.createLayer(id, parent, stream);
    if (applied.diffId !== diffId) {
      await deps.storage.removeLayer(id).catch(() => {});
      throw invalid(`layer ${i + 1} of the archive has digest ${applied.diffId}, but the image config says ${diffId}`, 'the archive is corrupt');
    }
    size += applied.uncompressedSize;
    layers.push({ id, parent, diffId, uncompressedSize: applied.uncompressedSize, compressedDigest: null, compressedSize: null });
  }
  const id = digest.slice('sha256:'.length);
  const created = Date.parse(config.created ?? '');
  const now = Math.floor(Date.now() / 1000);
  deps.store.save(
    {
      id,
      topLayer: chains.at(-1) ?? null,
      config,
      configRaw: img.config.toString('utf8'),
      manifest: img.manifest ? img.manifest.raw.toString('utf8') : null,
      manifestType: img.manifest?.mediaType ?? null,
      digest: img.manifest ? sha256(img.manifest.raw) : null,
      size,
      created: Number.isNaN(created) ? now : Math.floor(created / 1000),
      stored: now,
    },
    { names: img.names, layers },
  );
  return id;
}
