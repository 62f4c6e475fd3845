/** The local ImageService: image records in the state database, layers in the storage driver. */
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { ImageService } from '../engine.js';
import { SelkieError, notFound } from '../errors.js';
import type { ImageRecord } from '../images/image-store.js';
import { imageFilter } from '../images/image-filters.js';
import { importImage } from '../images/import-image.js';
import { lookupCandidates, qualifyForStorage } from '../images/local-names.js';
import type { ImageImportOptions, ImageInspect, ImageListOptions, ImageSummary } from '../types/image.js';
import type { Resources } from './resources.js';

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
    const byName = img.names.find((n) => lookupCandidates(nameOrId, this.searchRegistries()).names.includes(n));
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
    const storage = await this.res.storage();
    let doomed: string[] = [];
    db.transaction(() => {
      store.delete(img.id);
      doomed = store.unreferencedLayers();
      for (const l of doomed) store.deleteLayer(l);
    }).immediate();
    for (const l of doomed) await storage.removeLayer(l);
    return { untagged: img.names, deleted: [`sha256:${img.id}`] };
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
    const { names, suffix } = lookupCandidates(nameOrId, this.searchRegistries());
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
