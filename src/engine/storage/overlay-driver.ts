/**
 * The overlay driver (kernel overlayfs, or a FUSE mount program such as fuse-overlayfs where the
 * kernel's cannot be mounted: `mountProgram`), laid out as containers/storage does:
 *   HOME/<id>/diff      the layer's own content (whiteouts as 0/0 devices, opaque xattrs)
 *   HOME/<id>/link      its short name XXXX; HOME/l/XXXX -> ../<id>/diff keeps mount options short
 *   HOME/<id>/lower     the layers below it, topmost first: "l/AAAA:l/BBBB"
 *   HOME/<id>/tar-split.gz  what rebuilds the layer's original tar (tar-split.ts)
 *   HOME/<cid>/{diff,work,merged,lower}  a container: upper, overlay's work dir, the mount point
 *   (HOME/<cid>/empty stands in as the lower layer of a container without an image layer)
 * Layers are built in HOME/.tmp-* and renamed into place (layer-dirs.ts).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { conflict, notFound } from '../errors.js';
import { mappingKey, type IdMappings } from '../containers/id-mappings.js';
import { copyTree, removeTree, syncFilesystem } from './host-tools.js';
import { allowTraversal, shiftTree } from './id-shift.js';
import { applyLayer, type LayerSource } from './layer-applier.js';
import { checkId, cleanupTempDirs, discard, exists, publish, tempPath } from './layer-dirs.js';
import { LowerView } from './overlay-lookup.js';
import { isMountpoint, mountOverlay, overlayOptions, unmountIfMounted } from './overlay-mount.js';
import type { ApplyResult, CreateLayerOptions, StorageDriver } from './storage-driver.js';
import { TarSplitRecorder } from './tar-split.js';
import { rebuildLayerTar } from './tar-split-reader.js';

const LINKS = 'l';
const TAR_SPLIT = 'tar-split.gz';
const RESERVED = [LINKS];

export class OverlayDriver implements StorageDriver {
  readonly name = 'overlay' as const;

  /** `mountProgram`: mount with this FUSE program (fuse-overlayfs) instead of the kernel's overlay. */
  constructor(
    readonly home: string,
    readonly mountProgram?: string,
  ) {
    fs.mkdirSync(path.join(home, LINKS), { recursive: true, mode: 0o700 });
  }

  /** The directory of a layer's own content (its diff). */
  layerPath(id: string): string {
    return path.join(this.dir(id), 'diff');
  }

  async createLayer(id: string, parent: string | null, diff: Readable | LayerSource, opts: CreateLayerOptions = {}): Promise<ApplyResult> {
    const final = this.dir(id);
    const tmp = tempPath(this.home);
    const diffDir = path.join(tmp, 'diff');
    let lower: LowerView | undefined;
    const record = new TarSplitRecorder(path.join(tmp, TAR_SPLIT));
    try {
      await fsp.mkdir(diffDir, { recursive: true, mode: 0o700 });
      const short = shortName();
      await fsp.writeFile(path.join(tmp, 'link'), short);
      // What needs the layers below waits for them (the parent may still be applied meanwhile).
      let root: fs.Stats | undefined;
      const below = (async () => {
        await opts.parentReady;
        const chain = parent === null ? [] : await this.chainOf(parent, 'layer');
        if (chain.length > 0) await fsp.writeFile(path.join(tmp, 'lower'), chain.join(':'));
        root = parent === null ? undefined : await fsp.stat(this.layerPath(parent)).catch(() => undefined);
        lower = new LowerView(this.home, chain, tempPath(this.home, 'lookup-'), this.mountProgram);
      })();
      below.catch(() => {}); // awaited below
      const result = await applyLayer(
        diffDir,
        diff,
        {
          whiteouts: 'overlay',
          lowerReady: below,
          lowerLookup: (rel) => lower!.find(rel),
          // A root the tar does not list keeps the owner and mode of the one below.
          rootFromLower: () => {
            fs.chownSync(diffDir, root?.uid ?? 0, root?.gid ?? 0);
            fs.chmodSync(diffDir, root ? root.mode & 0o7777 : 0o755);
          },
        },
        record,
      );
      await below;
      await lower!.close();
      await record.finish(result.uncompressedSize);
      await syncFilesystem(tmp);
      if (await publish(tmp, final)) await this.linkShort(short, id);
      return result;
    } catch (e) {
      diff.destroy();
      record.abort();
      await lower?.close().catch(() => {});
      await removeTree(tmp).catch(() => {});
      throw e;
    }
  }

  async layerExists(id: string): Promise<boolean> {
    return exists(this.layerPath(id));
  }

  layerTar(id: string): Readable {
    return rebuildLayerTar(path.join(this.dir(id), TAR_SPLIT), this.layerPath(id), id);
  }

  async removeLayer(id: string): Promise<void> {
    // The link goes first: interrupted after it, the layer is still whole (a mount repairs its link);
    // interrupted after the discard's rename, the dead process's temp dir tells cleanupTemp to look.
    const short = await this.readLink(id);
    if (short) await fsp.rm(path.join(this.home, LINKS, short), { force: true });
    await discard(this.home, this.dir(id));
  }

  async createContainerLayer(containerId: string, top: string | null, idMappings?: IdMappings): Promise<void> {
    const final = this.dir(containerId, 'container');
    if (await exists(final)) throw conflict(`the container layer of ${containerId} already exists`);
    const tmp = tempPath(this.home);
    try {
      let chain = top === null ? [] : await this.chainOf(top, 'image layer');
      if (idMappings) chain = await this.shiftedChain(chain, idMappings);
      // A handful of small metadata calls, made synchronously (each async one is a threadpool round trip).
      fs.mkdirSync(tmp, { mode: 0o700 });
      fs.mkdirSync(path.join(tmp, 'diff'), { mode: 0o700 });
      await this.copyRootMetadata(top, path.join(tmp, 'diff'));
      if (idMappings) {
        // The container's mapped root must reach its root filesystem and own its upper layer.
        fs.chmodSync(tmp, 0o711);
        shiftTree(path.join(tmp, 'diff'), idMappings);
      }
      fs.mkdirSync(path.join(tmp, 'work'), { mode: 0o700 });
      fs.mkdirSync(path.join(tmp, 'merged'), { mode: 0o700 });
      if (chain.length > 0) fs.writeFileSync(path.join(tmp, 'lower'), chain.join(':'));
      else fs.mkdirSync(path.join(tmp, 'empty'), { mode: 0o700 });
      if (!(await publish(tmp, final))) throw conflict(`the container layer of ${containerId} already exists`);
    } catch (e) {
      await removeTree(tmp).catch(() => {});
      throw e;
    }
  }

  async mount(containerId: string): Promise<string> {
    const dir = this.dir(containerId, 'container');
    const merged = path.join(dir, 'merged');
    if (!(await exists(path.join(dir, 'work')))) throw notFound('container layer', containerId);
    if (isMountpoint(merged)) return merged;
    const chain = await this.lowerOf(containerId);
    const lower = chain.length > 0 ? chain : [`${containerId}/empty`];
    const fuse = this.mountProgram !== undefined;
    await mountOverlay(this.home, overlayOptions({ lower, upper: `${containerId}/diff`, work: `${containerId}/work`, fuse }), merged, this.mountProgram);
    return merged;
  }

  async unmount(containerId: string): Promise<void> {
    await unmountIfMounted(path.join(this.dir(containerId, 'container'), 'merged'));
  }

  async removeContainerLayer(containerId: string): Promise<void> {
    await this.unmount(containerId);
    await discard(this.home, this.dir(containerId, 'container'));
  }

  async cleanupTemp(): Promise<void> {
    const stale = await cleanupTempDirs(this.home, async (dir) => {
      for (const mp of [dir, path.join(dir, 'merged')]) await unmountIfMounted(mp);
    });
    // Short links whose layer is gone: only after an interrupted removal, which leaves a dead
    // process's temp dir (every command opens storage; a stat per layer each time would add up).
    if (!stale) return;
    const links = path.join(this.home, LINKS);
    for (const name of await fsp.readdir(links).catch(() => [] as string[])) {
      if (!(await fsp.stat(path.join(links, name)).then(() => true, () => false))) await fsp.rm(path.join(links, name), { force: true });
    }
  }

  /**
   * The chain with each layer replaced by its copy shifted into the mapping's range, made once per
   * layer and mapping (HOME/<layer>/shift-<key>/diff, built in a temp dir and renamed into place) and
   * removed together with the layer.
   */
  private async shiftedChain(chain: string[], maps: IdMappings): Promise<string[]> {
    const key = mappingKey(maps);
    const out: string[] = [];
    for (const link of chain) {
      const target = await fsp.readlink(path.join(this.home, link)); // ../<layer>/diff
      const layer = path.basename(path.dirname(target));
      const rel = path.join(layer, `shift-${key}`);
      const final = path.join(this.home, rel);
      if (!(await exists(path.join(final, 'diff')))) {
        const tmp = tempPath(this.home, 'shift-');
        try {
          await fsp.mkdir(tmp, { mode: 0o711 });
          await copyTree(this.layerPath(layer), path.join(tmp, 'diff'), `shifting layer ${layer}`);
          shiftTree(path.join(tmp, 'diff'), maps);
          await publish(tmp, final);
        } catch (e) {
          await removeTree(tmp).catch(() => {});
          throw e;
        }
      }
      out.push(path.join(rel, 'diff'));
    }
    // The mapped root must be able to walk down to the shifted layers and the container's dirs.
    await allowTraversal(this.home);
    for (const rel of out) await fsp.chmod(path.join(this.home, rel.split(path.sep)[0]!), 0o711);
    return out;
  }

  private dir(id: string, what = 'layer'): string {
    checkId(id, what, RESERVED);
    return path.join(this.home, id);
  }

  /** The lower chain for a layer or container on top of `id`: its short link, then its own lowers. */
  private async chainOf(id: string, what: string): Promise<string[]> {
    const short = await this.readLink(id);
    if (short === undefined) throw notFound(what, id);
    const own = `${LINKS}/${short}`;
    await this.repairLinks([own]);
    return [own, ...(await this.lowerOf(id))];
  }

  private async lowerOf(id: string): Promise<string[]> {
    let text = '';
    try {
      text = fs.readFileSync(path.join(this.dir(id), 'lower'), 'utf8');
    } catch {
      // no lower file: a base layer
    }
    const chain = text.trim() === '' ? [] : text.trim().split(':');
    await this.repairLinks(chain);
    return chain;
  }

  private async readLink(id: string): Promise<string | undefined> {
    try {
      return fs.readFileSync(path.join(this.dir(id), 'link'), 'utf8').trim();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  }

  private async linkShort(short: string, id: string): Promise<void> {
    try {
      await fsp.symlink(`../${id}/diff`, path.join(this.home, LINKS, short));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }

  /** Recreates missing short links (a crash between publishing a layer and linking it). */
  private async repairLinks(chain: readonly string[]): Promise<void> {
    const missing = [];
    for (const l of chain) if (!(await exists(path.join(this.home, l)))) missing.push(l.slice(LINKS.length + 1));
    if (missing.length === 0) return;
    for (const id of await fsp.readdir(this.home)) {
      if (id.startsWith('.') || id === LINKS) continue;
      const short = await this.readLink(id).catch(() => undefined);
      if (short !== undefined && missing.includes(short)) await this.linkShort(short, id);
    }
  }

  /** A new layer's root directory starts with the owner and mode of the root below it. */
  private async copyRootMetadata(below: string | null, diff: string): Promise<void> {
    let st: fs.Stats | undefined;
    try {
      st = below === null ? undefined : fs.statSync(this.layerPath(below));
    } catch {
      st = undefined;
    }
    fs.chownSync(diff, st?.uid ?? 0, st?.gid ?? 0);
    fs.chmodSync(diff, st ? st.mode & 0o7777 : 0o755);
  }
}

/** 26 random base32 characters, like containers/storage's short link names. */
function shortName(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  return [...crypto.randomBytes(26)].map((b) => alphabet[b & 31]).join('');
}
