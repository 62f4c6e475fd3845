/**
 * oci-archive: an OCI image layout (image-spec image-layout.md) in a tar: `oci-layout`, `index.json`
 * and `blobs/sha256/<hex>`. Layers are stored uncompressed (media type ...layer.v1.tar, digest =
 * diffID), so the config and the image ID stay as they are. Each image gets a new OCI manifest;
 * index.json lists one entry per name (annotations org.opencontainers.image.ref.name and
 * io.containerd.image.name carry the full name, as Podman and containerd read them), or one
 * unnamed entry.
 */
import crypto from 'node:crypto';
import type { Pack } from 'tar-stream';
import { addDir, addFile, addStream } from './tar-out.js';
import type { ImageToSave, LayerOpener } from './archive-types.js';

export const OCI_MEDIA = {
  manifest: 'application/vnd.oci.image.manifest.v1+json',
  index: 'application/vnd.oci.image.index.v1+json',
  config: 'application/vnd.oci.image.config.v1+json',
  layer: 'application/vnd.oci.image.layer.v1.tar',
} as const;

export const REF_NAME = 'org.opencontainers.image.ref.name';
export const CONTAINERD_NAME = 'io.containerd.image.name';

const hexOf = (digest: string): string => digest.replace(/^sha256:/, '');
const sha256 = (b: Buffer): string => `sha256:${crypto.createHash('sha256').update(b).digest('hex')}`;

export async function writeOciArchive(pack: Pack, images: readonly ImageToSave[], openLayer: LayerOpener): Promise<void> {
  await addFile(pack, 'oci-layout', JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  await addDir(pack, 'blobs/');
  await addDir(pack, 'blobs/sha256/');
  const written = new Set<string>();
  const index: Array<Record<string, unknown>> = [];
  const blob = async (digest: string, data: Buffer | (() => Promise<void>)): Promise<void> => {
    if (written.has(digest)) return;
    written.add(digest);
    if (Buffer.isBuffer(data)) await addFile(pack, `blobs/sha256/${hexOf(digest)}`, data);
    else await data();
  };
  for (const { image, names, layers } of images) {
    const config = Buffer.from(image.configRaw);
    await blob(`sha256:${image.id}`, config);
    for (const l of layers) {
      await blob(l.diffId, () => addStream(pack, `blobs/sha256/${hexOf(l.diffId)}`, l.uncompressedSize, openLayer(l)));
    }
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI_MEDIA.manifest,
        config: { mediaType: OCI_MEDIA.config, digest: `sha256:${image.id}`, size: config.length },
        layers: layers.map((l) => ({ mediaType: OCI_MEDIA.layer, digest: l.diffId, size: l.uncompressedSize })),
      }),
    );
    const digest = sha256(manifest);
    await blob(digest, manifest);
    const desc = { mediaType: OCI_MEDIA.manifest, digest, size: manifest.length };
    if (names.length === 0) index.push(desc);
    for (const n of names) index.push({ ...desc, annotations: { [CONTAINERD_NAME]: n, [REF_NAME]: n } });
  }
  await addFile(pack, 'index.json', JSON.stringify({ schemaVersion: 2, mediaType: OCI_MEDIA.index, manifests: index }));
}
