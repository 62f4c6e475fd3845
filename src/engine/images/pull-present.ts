/**
 * A re-pull of a tag already stored: the registry's digest for the tag (a HEAD request: no body to
 * read, nothing to hash) tells whether it still names an image we have. Only an image manifest's
 * digest is trusted this way (a tag naming an index goes the full way, where the platform is chosen),
 * and only when the tag is stored here already, so a first pull pays no extra request.
 */
import type { RegistryClient } from '../registry/registry-client.js';
import type { StorageDriver } from '../storage/storage-driver.js';
import type { ImageRecord, ImageStore } from './image-store.js';

export interface PresentImage {
  image: ImageRecord;
  /** The stored manifest's layers and config digest (for the progress a pull reports). */
  layers: { digest: string; size: number }[];
  configDigest: string;
}

export async function presentByTag(
  client: RegistryClient,
  repo: string,
  tag: string,
  localName: string,
  repoName: string,
  store: ImageStore,
  storage: StorageDriver,
): Promise<PresentImage | undefined> {
  if (!store.find(localName, [localName])) return undefined;
  let digest: string | undefined;
  try {
    digest = (await client.headManifest(repo, tag)).digest;
  } catch {
    return undefined; // the full request says what is wrong
  }
  if (!digest) return undefined;
  const image = store.find(`${repoName}@${digest}`, []);
  if (!image || image.digest !== digest || !image.manifest) return undefined;
  if (image.topLayer !== null && !(await storage.layerExists(image.topLayer))) return undefined;
  try {
    const m = JSON.parse(image.manifest) as { config?: { digest?: string }; layers?: { digest: string; size: number }[] };
    if (!m.config?.digest || !Array.isArray(m.layers)) return undefined;
    return { image, layers: m.layers, configDigest: m.config.digest };
  } catch {
    return undefined;
  }
}
