/** The local ImageService: image records in the state database, layers in the storage driver. */
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import type { ImageService } from '../engine.js';
import { SelkieError, isSelkieError, notFound } from '../errors.js';
import type { ImageRecord } from '../images/image-store.js';
import { imageFilter } from '../images/image-filters.js';
import { importImage } from '../images/import-image.js';
import { lookupCandidates, qualifyForStorage } from '../images/local-names.js';
import type { ImageImportOptions, ImageInspect, ImageListOptions, ImageSummary } from '../types/image.js';
import type { Resources } from './resources.js';
import type { ImageHistoryEntry, ImageLoadReport, ImagePruneOptions, ImagePruneReport, ImageSaveOptions } from '../types/image-ops.js';
import { deleteImagesAndLayers } from './image-removal.js';
import { historyOf, loadImages, pruneImages, saveImages, untagImage } from './image-ops.js';
import type { ImageCopyOptions, LoginOptions, PullOptions, PushOptions, RemoteImageInspect } from '../registry/pull-types.js';
import type { ImageSearchOptions, ImageSearchResult, ManifestInspectOptions, ManifestInspectResult } from '../registry/search-types.js';
import { isLocalOnly } from '../images/pull-sources.js';
import { configureTokenCache } from '../registry/token-cache.js';
import type { RegistriesConfig } from '../config/registries-conf.js';

export class LocalImageService implements ImageService {
  constructor(private readonly res: Resources) {}

  async import(source: Readable, opts: ImageImportOptions): Promise<string> {
    const storage = await this.res.storage();
    const store = await this.res.images();
    return importImage(source, opts, { storage, store, tmpDir: path.join(this.res.paths.graphRoot, 'tmp') });
  }

  async list(opts: ImageListOptions = {}): Promise<ImageSummary[]> {
    const store = await this.res.images();
    const keep = imageFilter(opts.filters ?? {}, (n) => this.resolveSync(store, n));
    return store.list().filter(keep).map(toSummary);
  }

  async inspect(nameOrId: string): Promise<ImageInspect> {
    const img = await this.resolve(nameOrId);
    const driver = await this.res.storage();
    const c = img.config;
    return {
      Id: `sha256:${img.id}`,
      Digest: img.digest ?? '',
      RepoTags: img.names,
      RepoDigests: img.repoDigests,
      Parent: '',
      Comment: c.history?.at(-1)?.comment ?? '',
      Created: c.created ?? new Date(img.created * 1000).toISOString(),
      Config: c.config ?? {},
      Architecture: c.architecture,
      Os: c.os,
      ...(c.variant ? { Variant: c.variant } : {}),
      Size: img.size,
      VirtualSize: img.size,
      GraphDriver: { Name: driver.name, Data: {} },
      RootFS: { Type: 'layers', Layers: c.rootfs.diff_ids },
      Labels: c.config?.Labels ?? null,
      Author: c.author ?? '',
      ManifestType: img.manifestType ?? '',
      History: c.history ?? [],
    };
  }

  async exists(nameOrId: string): Promise<boolean> {
    const store = await this.res.images();
    return this.find(store, nameOrId) !== undefined;
  }

  async tag(nameOrId: string, newName: string): Promise<void> {
    const img = await this.resolve(nameOrId);
    (await this.res.images()).setName(qualifyForStorage(newName), img.id);
  }

  async remove(nameOrId: string, opts: { force?: boolean } = {}): Promise<{ untagged: string[]; deleted: string[] }> {
    const store = await this.res.images();
    const db = await this.res.db();
    const img = this.resolveSync(store, nameOrId);
    const byName = img.names.find((n) => lookupCandidates(nameOrId, () => this.searchRegistries()).names.includes(n));
    // Removing one of several names only untags it (Docker's semantics).
    if (byName && img.names.length > 1) {
      store.removeName(byName);
      return { untagged: [byName], deleted: [] };
    }
    if (!byName && img.names.length > 1 && !opts.force) {
      throw new SelkieError('conflict', `unable to delete image ${img.id.slice(0, 12)}: it is referenced by several names (${img.names.join(', ')})`, {
        hint: 'remove it by name, or use --force',
      });
    }
    const users = db.prepare('SELECT id, name FROM containers WHERE image_id = ?').all(img.id) as { id: string; name: string }[];
    if (users.length) {
      throw new SelkieError('conflict', `image ${img.names[0] ?? img.id.slice(0, 12)} is in use by container ${users.map((u) => u.name).join(', ')}`, {
        hint: 'remove the container(s) first (selkie rm)',
      });
    }
    await deleteImagesAndLayers(this.res, [img.id]);
    return { untagged: img.names, deleted: [`sha256:${img.id}`] };
  }

  async history(nameOrId: string): Promise<ImageHistoryEntry[]> {
    return historyOf(this.res, await this.resolve(nameOrId));
  }

  async untag(nameOrId: string, names: string[] = []): Promise<string[]> {
    return untagImage(this.res, await this.resolve(nameOrId), names);
  }

  async prune(opts: ImagePruneOptions = {}): Promise<ImagePruneReport> {
    return pruneImages(this.res, opts);
  }

  async save(namesOrIds: string[], out: Writable, opts: ImageSaveOptions = {}): Promise<void> {
    return saveImages(this.res, { resolve: (n) => this.resolve(n), searchRegistries: () => this.searchRegistries() }, namesOrIds, out, opts);
  }

  async load(source: Readable): Promise<ImageLoadReport> {
    return loadImages(this.res, source);
  }

  async pull(reference: string, opts: PullOptions = {}): Promise<string> {
    const { pullImage } = await import('../images/pull-image.js');
    const storage = await this.res.storage();
    const store = await this.res.images();
    const tmpRoot = path.join(this.res.paths.graphRoot, 'tmp');
    return pullImage(reference, opts, { storage, store, tmpRoot, registries: this.registries(), log: this.debugLog() });
  }

  async push(nameOrId: string, destination?: string, opts: PushOptions = {}): Promise<string> {
    const { pushDestination, pushImage } = await import('../images/push-image.js');
    const store = await this.res.images();
    const image = this.resolveSync(store, nameOrId);
    const dest = pushDestination(image, nameOrId, destination, this.searchRegistries());
    const deps = { storage: await this.res.storage(), store, tmpRoot: path.join(this.res.paths.graphRoot, 'tmp'), registries: this.registries(), searchRegistries: this.searchRegistries(), log: this.debugLog() };
    return pushImage(image, dest, opts, deps);
  }

  async copy(source: string, destination: string, opts: ImageCopyOptions = {}): Promise<string> {
    const { copyImage } = await import('../images/copy-image.js');
    return copyImage(source, destination, opts, this.registries(), this.debugLog());
  }

  async inspectRemote(reference: string, opts: PullOptions = {}): Promise<RemoteImageInspect> {
    const { inspectRemote } = await import('../images/pull-inspect-remote.js');
    return inspectRemote(reference, opts, this.registries(), this.debugLog());
  }

  async manifestInspect(reference: string, opts: ManifestInspectOptions = {}): Promise<ManifestInspectResult> {
    const { inspectManifest } = await import('../images/manifest-inspect.js');
    return inspectManifest(reference, opts, this.registries(), this.debugLog());
  }

  async search(term: string, opts: ImageSearchOptions = {}): Promise<ImageSearchResult[]> {
    const { searchImages } = await import('../images/image-search.js');
    return searchImages(term, opts, this.registries(), this.debugLog());
  }

  async login(registry: string, opts: LoginOptions): Promise<string> {
    const { login } = await import('../registry/login.js');
    return login(registry, opts, this.registries(), this.debugLog());
  }

  async logout(registry: string | undefined, opts: { all?: boolean; authFile?: string } = {}): Promise<void> {
    const { logout } = await import('../registry/login.js');
    logout(registry, opts, this.registries());
  }

  /** registries.conf, with the bearer token cache of this run root enabled for the registry client. */
  private registries(): RegistriesConfig {
    configureTokenCache(path.join(this.res.paths.runRoot, 'registry-tokens'));
    return this.res.registriesConfig();
  }

  private debugLog(): ((msg: string) => void) | undefined {
    return this.res.options.logLevel === 'debug' ? (msg) => process.stderr.write(`DEBU ${msg}\n`) : undefined;
  }

  /** resolve(), pulling a missing image first (Podman's pull policy "missing"); IDs and localhost/ names are never pulled. */
  async resolveOrPull(nameOrId: string): Promise<ImageRecord> {
    try {
      return await this.resolve(nameOrId);
    } catch (e) {
      if (!isSelkieError(e) || e.kind !== 'not-found' || /^(sha256:)?[0-9a-f]{12,64}$/.test(nameOrId) || isLocalOnly(nameOrId)) throw e;
    }
    try {
      return (await this.res.images()).mustGet(await this.pull(nameOrId));
    } catch (e) {
      if (!isSelkieError(e)) throw e;
      throw new SelkieError(e.kind, `image ${JSON.stringify(nameOrId)} not found locally, and pulling it failed: ${e.message}`, { hint: e.hint, cause: e });
    }
  }

  /** Look up an image by name, ID, ID prefix or digest; a SelkieError (exit 125) names what was not found. */
  async resolve(nameOrId: string): Promise<ImageRecord> {
    return this.resolveSync(await this.res.images(), nameOrId);
  }

  private resolveSync(store: Awaited<ReturnType<Resources['images']>>, nameOrId: string): ImageRecord {
    const img = this.find(store, nameOrId);
    if (!img) throw notFound('image', nameOrId, 'list local images with selkie images');
    return img;
  }

  private find(store: Awaited<ReturnType<Resources['images']>>, nameOrId: string): ImageRecord | undefined {
    const { names, suffix } = lookupCandidates(nameOrId, () => this.searchRegistries());
    return store.find(nameOrId, names) ?? (suffix ? store.findBySuffix(suffix) : undefined);
  }

  private searchRegistries(): string[] {
    return this.res.searchRegistries();
  }
}

function toSummary(img: ImageRecord): ImageSummary {
  return {
    Id: `sha256:${img.id}`,
    RepoTags: img.names,
    RepoDigests: img.repoDigests,
    Created: img.created,
    Size: img.size,
    Labels: img.config.config?.Labels ?? {},
    Dangling: img.names.length === 0,
  };
}
