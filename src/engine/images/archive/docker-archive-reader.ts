/**
 * Reads docker-archive's manifest.json ([{Config, RepoTags, Layers}]): the config file, the layer
 * files (top-level `<hex>.tar`, Docker 25+'s `blobs/sha256/<hex>`, or legacy `<id>/layer.tar`,
 * links followed), and the names. RepoTags are Docker references: "busybox:latest" is
 * docker.io/library/busybox:latest.
 */
import { invalid } from '../../errors.js';
import { parseNormalizedReference, referenceToString } from '../reference.js';
import type { ArchiveFiles } from './archive-files.js';
import type { ArchiveImage } from './archive-types.js';

interface ManifestEntry {
  Config?: unknown;
  RepoTags?: unknown;
  Layers?: unknown;
}

export function isDockerArchive(files: ArchiveFiles): boolean {
  return files.has('manifest.json');
}

export function readDockerArchive(files: ArchiveFiles): ArchiveImage[] {
  const manifest = files.json<unknown>('manifest.json');
  if (!Array.isArray(manifest)) throw invalid('manifest.json in the archive is not a list of images');
  return (manifest as ManifestEntry[]).map((m, i) => {
    if (typeof m.Config !== 'string' || !Array.isArray(m.Layers) || !m.Layers.every((l) => typeof l === 'string')) {
      throw invalid(`entry ${i} of manifest.json in the archive lacks Config or Layers`);
    }
    const tags = Array.isArray(m.RepoTags) ? m.RepoTags.filter((t): t is string => typeof t === 'string') : [];
    const hex = /(?:^|\/)(?:sha256\/)?([0-9a-f]{64})(?:\.json)?$/.exec(m.Config)?.[1];
    return {
      config: files.read(m.Config),
      ...(hex ? { claimedConfigDigest: `sha256:${hex}` } : {}),
      layers: (m.Layers as string[]).map((l) => {
        files.path(l); // fail now if missing
        return () => files.open(l);
      }),
      names: tags.map(dockerName),
    };
  });
}

function dockerName(tag: string): string {
  try {
    const ref = parseNormalizedReference(tag);
    return referenceToString({ ...ref, tag: ref.tag ?? (ref.digest ? undefined : 'latest') });
  } catch {
    throw invalid(`the archive names an image ${JSON.stringify(tag)}, which is not a valid reference`);
  }
}
