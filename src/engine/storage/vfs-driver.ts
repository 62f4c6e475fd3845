/**
 * The vfs driver: every layer is a full directory tree HOME/dir/<id>, made by copying its parent
 * (`cp -a --reflink=auto`: one fork, cheap clones where the filesystem has them) and applying the
 * diff on the copy (whiteouts delete). A container's layer is a copy of its image's top layer and
 * `mount` just returns that directory. Slow and space-hungry, but works on every filesystem.
 * HOME/tar-split/<id>.gz rebuilds a layer's original tar (tar-split.ts); it is written before the
 * layer is published, and a record without its layer is harmless (overwritten or removed later).
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { conflict, notFound } from '../errors.js';
import type { IdMappings } from '../containers/id-mappings.js';
import { copyTree, removeTree, syncFilesystem } from './host-tools.js';
import { allowTraversal, shiftTree } from './id-shift.js';
import { applyLayer, type LayerSource } from './layer-applier.js';
import { checkId, cleanupTempDirs, discard, exists, publish, tempPath } from './layer-dirs.js';
import type { ApplyResult, CreateLayerOptions, StorageDriver } from './storage-driver.js';
import { TarSplitRecorder } from './tar-split.js';
import { rebuildLayerTar } from './tar-split-reader.js';

export class VfsDriver implements StorageDriver {
  readonly name = 'vfs' as const;
  private readonly dirs: string;

  constructor(readonly home: string) {
    this.dirs = path.join(home, 'dir');
    fs.mkdirSync(this.dirs, { recursive: true, mode: 0o700 });
  }

  /** The directory holding layer or container layer `id`. */
  layerPath(id: string, what = 'layer'): string {
    checkId(id, what);
    return path.join(this.dirs, id);
  }

  async createLayer(id: string, parent: string | null, diff: Readable | LayerSource, opts: CreateLayerOptions = {}): Promise<ApplyResult> {
    const final = this.layerPath(id);
    const tmp = tempPath(this.home);
    const record = new TarSplitRecorder(this.tarSplitPath(id));
    try {
      await opts.parentReady; // a full copy of the parent: it must be complete
      await this.startFrom(parent, tmp, 'layer');
      const result = await applyLayer(tmp, diff, { whiteouts: 'delete' }, record);
      await record.finish(result.uncompressedSize);
      await syncFilesystem(tmp);
      await publish(tmp, final);
      return result;
    } catch (e) {
      diff.destroy();
      record.abort();
      await removeTree(tmp).catch(() => {});
      throw e;
    }
  }

  async layerExists(id: string): Promise<boolean> {
    return exists(this.layerPath(id));
  }

  layerTar(id: string): Readable {
    return rebuildLayerTar(this.tarSplitPath(id), this.layerPath(id), id);
  }

  async removeLayer(id: string): Promise<void> {
    await discard(this.home, this.layerPath(id));
    await fsp.rm(this.tarSplitPath(id), { force: true });
  }

  private tarSplitPath(id: string): string {
    checkId(id, 'layer');
    return path.join(this.home, 'tar-split', `${id}.gz`);
  }

  async createContainerLayer(containerId: string, top: string | null, idMappings?: IdMappings): Promise<void> {
    const final = this.layerPath(containerId, 'container');
    if (await exists(final)) throw conflict(`the container layer of ${containerId} already exists`);
    const tmp = tempPath(this.home);
    try {
      await this.startFrom(top, tmp, 'image layer');
      if (idMappings) {
        // The copy is the container's own: shift it in place; its mapped root must reach it.
        shiftTree(tmp, idMappings);
        await allowTraversal(this.home, this.dirs);
      }
      if (!(await publish(tmp, final))) throw conflict(`the container layer of ${containerId} already exists`);
    } catch (e) {
      await removeTree(tmp).catch(() => {});
      throw e;
    }
  }

  async mount(containerId: string): Promise<string> {
    const dir = this.layerPath(containerId, 'container');
    if (!(await exists(dir))) throw notFound('container layer', containerId);
    return dir;
  }

  async unmount(containerId: string): Promise<void> {
    this.layerPath(containerId, 'container'); // nothing is mounted; only check the ID
  }

  async removeContainerLayer(containerId: string): Promise<void> {
    await discard(this.home, this.layerPath(containerId, 'container'));
  }

  async cleanupTemp(): Promise<void> {
    await cleanupTempDirs(this.home);
  }

  /** Makes `tmp` a copy of layer `from`, or an empty root directory. */
  private async startFrom(from: string | null, tmp: string, what: string): Promise<void> {
    if (from === null) {
      await fsp.mkdir(tmp, { mode: 0o755 });
      await fsp.chmod(tmp, 0o755);
      return;
    }
    const src = this.layerPath(from);
    if (!(await exists(src))) throw notFound(what, from);
    await copyTree(src, tmp, `copying layer ${from}`);
  }
}
