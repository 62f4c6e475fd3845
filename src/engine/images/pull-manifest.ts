/**
 * Fetching an image's manifest: by tag or digest; an index / manifest list is resolved to the
 * manifest of the wanted platform. Shared by pull and `image inspect --remote`.
 */
import { SelkieError } from '../errors.js';
import { CONFIG_SIZE_LIMIT, manifestKind } from '../registry/media-types.js';
import type { RegistryClient } from '../registry/registry-client.js';
import { selectPlatform, type IndexEntry, type Platform } from '../registry/platform.js';
import type { ImageConfig } from '../types/image.js';
import { verifyBuffer } from '../registry/digest.js';

export interface ImageManifest {
  schemaVersion: number;
  mediaType?: string;
  config: { mediaType: string; digest: string; size: number };
  layers: { mediaType: string; digest: string; size: number }[];
}

export interface ResolvedManifest {
  raw: Buffer;
  mediaType: string;
  digest: string;
  manifest: ImageManifest;
  /** The index / manifest list digest when the tag pointed at one. */
  indexDigest?: string;
}

function parse<T>(raw: Buffer, what: string): T {
  try {
    return JSON.parse(raw.toString('utf8')) as T;
  } catch {
    throw new SelkieError('registry', `${what} is not valid JSON`);
  }
}

/** Resolves `reference` (tag or digest) in `repo` to one image manifest. */
export async function fetchImageManifest(client: RegistryClient, repo: string, reference: string, platform: Platform): Promise<ResolvedManifest> {
  const what = `${client.host}/${repo}${reference.includes(':') ? '@' : ':'}${reference}`;
  let m = await client.getManifest(repo, reference);
  let indexDigest: string | undefined;
  if (manifestKind(m.mediaType, what) === 'index') {
    const index = parse<{ manifests?: IndexEntry[] }>(m.raw, `index of ${what}`);
    const entry = selectPlatform(index.manifests ?? [], platform, what);
    indexDigest = m.digest;
    m = await client.getManifest(repo, entry.digest);
    if (manifestKind(m.mediaType, `${what} (${entry.digest})`) !== 'manifest') {
      throw new SelkieError('registry', `${what}: the index entry ${entry.digest} is itself an index`, { hint: 'nested indexes are not supported' });
    }
  }
  const manifest = parse<ImageManifest>(m.raw, `manifest of ${what}`);
  if (!manifest.config?.digest || !Array.isArray(manifest.layers)) {
    throw new SelkieError('registry', `manifest of ${what} has no config or layers`, { hint: 'the image is malformed' });
  }
  return { raw: m.raw, mediaType: m.mediaType, digest: m.digest, manifest, ...(indexDigest ? { indexDigest } : {}) };
}

/** Fetches and verifies the image config. */
export async function fetchImageConfig(client: RegistryClient, repo: string, m: ResolvedManifest): Promise<{ raw: string; config: ImageConfig }> {
  const d = m.manifest.config;
  const buf = await client.getBlobBuffer(repo, d.digest, CONFIG_SIZE_LIMIT, `config ${d.digest} of ${client.host}/${repo}`);
  verifyBuffer(buf, d.digest, `config of ${repo}`);
  const config = parse<ImageConfig>(buf, `config of ${client.host}/${repo}`);
  if (!config.rootfs || !Array.isArray(config.rootfs.diff_ids)) {
    throw new SelkieError('registry', `config of ${client.host}/${repo} has no rootfs.diff_ids`, { hint: 'the image is malformed' });
  }
  return { raw: buf.toString('utf8'), config };
}
