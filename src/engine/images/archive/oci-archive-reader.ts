/**
 * Reads an OCI image layout in an archive (image-spec image-layout.md): index.json's manifests,
 * each an image manifest (or an index, of which the host's platform is taken, else the first
 * entry). Names come from the annotations io.containerd.image.name (a full reference) or
 * org.opencontainers.image.ref.name when that is a full reference (Podman writes one); a bare tag
 * there names nothing.
 */
import crypto from 'node:crypto';
import { invalid } from '../../errors.js';
import { hostArch, hostOs } from '../../util/host-platform.js';
import { parseNormalizedReference, parseRawReference, referenceToString } from '../reference.js';
import type { ArchiveFiles } from './archive-files.js';
import type { ArchiveImage } from './archive-types.js';
import { CONTAINERD_NAME, OCI_MEDIA, REF_NAME } from './oci-archive-writer.js';

interface Descriptor {
  mediaType?: string;
  digest?: string;
  size?: number;
  annotations?: Record<string, string>;
  platform?: { os?: string; architecture?: string };
}

const DOCKER_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';

export function isOciArchive(files: ArchiveFiles): boolean {
  return files.has('index.json') && files.has('oci-layout');
}

export function readOciArchive(files: ArchiveFiles): ArchiveImage[] {
  const index = files.json<{ manifests?: Descriptor[] }>('index.json');
  if (!Array.isArray(index.manifests)) throw invalid('index.json in the archive has no manifests');
  const byDigest = new Map<string, ArchiveImage>();
  const out: ArchiveImage[] = [];
  for (const d of index.manifests) {
    const name = nameOf(d.annotations ?? {});
    const m = manifestFor(files, d);
    const key = m.digest;
    let img = byDigest.get(key);
    if (!img) {
      img = imageOf(files, m.raw, m.mediaType);
      byDigest.set(key, img);
      out.push(img);
    }
    if (name && !img.names.includes(name)) img.names.push(name);
  }
  return out;
}

function blobName(digest: string | undefined): string {
  const m = /^(sha256|sha512):([0-9a-f]+)$/.exec(digest ?? '');
  if (!m) throw invalid(`the archive refers to a blob with an invalid digest ${JSON.stringify(digest)}`);
  return `blobs/${m[1]}/${m[2]}`;
}

/** The image manifest a descriptor leads to (through an index: the host's platform, else the first). */
function manifestFor(files: ArchiveFiles, d: Descriptor): { raw: Buffer; mediaType: string; digest: string } {
  for (let depth = 0; depth < 4; depth++) {
    const raw = files.read(blobName(d.digest));
    const actual = `sha256:${crypto.createHash('sha256').update(raw).digest('hex')}`;
    if (d.digest!.startsWith('sha256:') && actual !== d.digest) throw invalid(`a manifest in the archive does not match its digest ${d.digest}`, 'the archive is corrupt');
    const parsed = JSON.parse(raw.toString('utf8')) as { mediaType?: string; manifests?: Descriptor[] };
    const mediaType = d.mediaType ?? parsed.mediaType ?? OCI_MEDIA.manifest;
    if (mediaType !== OCI_MEDIA.index && mediaType !== DOCKER_LIST && !parsed.manifests) return { raw, mediaType, digest: d.digest! };
    const list = parsed.manifests ?? [];
    const pick = list.find((x) => x.platform?.os === hostOs() && x.platform?.architecture === hostArch()) ?? list[0];
    if (!pick) throw invalid('an image index in the archive lists no manifests');
    d = pick;
  }
  throw invalid('the archive nests image indexes too deeply');
}

function imageOf(files: ArchiveFiles, raw: Buffer, mediaType: string): ArchiveImage {
  const m = JSON.parse(raw.toString('utf8')) as { config?: Descriptor; layers?: Descriptor[] };
  if (!m.config || !Array.isArray(m.layers)) throw invalid('an image manifest in the archive lacks its config or layers');
  const config = files.read(blobName(m.config.digest));
  return {
    config,
    claimedConfigDigest: m.config.digest,
    manifest: { raw, mediaType },
    layers: m.layers.map((l) => {
      const name = blobName(l.digest);
      files.path(name);
      return () => files.open(name);
    }),
    names: [],
  };
}

function nameOf(annotations: Record<string, string>): string | undefined {
  for (const key of [CONTAINERD_NAME, REF_NAME]) {
    const v = annotations[key];
    if (!v) continue;
    try {
      const raw = parseRawReference(v);
      if (raw.domain === '' && !v.includes('/') && key === REF_NAME && !v.includes(':')) continue; // a bare tag
      const ref = parseNormalizedReference(v);
      return referenceToString({ ...ref, tag: ref.tag ?? (ref.digest ? undefined : 'latest') });
    } catch {
      continue;
    }
  }
  return undefined;
}
