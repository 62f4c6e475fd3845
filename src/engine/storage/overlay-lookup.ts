/**
 * The lower layers of an overlay layer being built, as one merged read-only view, for the rare
 * lookups the applier makes (a hard link to a file of a lower layer, a parent directory the tar
 * does not list). With one lower layer that is its diff directory; with more, a read-only overlay
 * mount of them, made on first use (so the kernel applies whiteouts and opaque directories) and
 * unmounted by close(). Symlinks on the way are never followed: such paths are "not found".
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { isMountpoint, mountOverlaySync, overlayOptions, unmountIfMounted } from './overlay-mount.js';
import { isOverlayWhiteout } from './whiteout.js';

export class LowerView {
  private root?: string;
  private mountpoint?: string;
  private readonly realDirs = new Set<string>();

  /** `chain`: the lower layers' short links ("l/XXXX"), topmost first, relative to `home`. */
  constructor(
    private readonly home: string,
    private readonly chain: readonly string[],
    private readonly scratch: string,
    private readonly mountProgram?: string,
  ) {}

  /** The real path of `rel` in the lower layers (any type), or null. */
  find(rel: string): string | null {
    if (this.chain.length === 0) return null;
    const root = this.rootDir();
    const parts = rel.split('/');
    let dir = root;
    for (let i = 0; i < parts.length - 1; i++) {
      dir = `${dir}/${parts[i]}`;
      if (this.realDirs.has(dir)) continue;
      const st = lstat(dir);
      if (!st?.isDirectory()) return null;
      this.realDirs.add(dir);
    }
    const p = `${root}/${rel}`;
    const st = lstat(p);
    return st && !isOverlayWhiteout(st) ? p : null;
  }

  async close(): Promise<void> {
    if (this.mountpoint === undefined) return;
    const mp = this.mountpoint;
    this.mountpoint = undefined;
    await unmountIfMounted(mp);
    await fsp.rmdir(mp).catch(() => {});
  }

  private rootDir(): string {
    if (this.root !== undefined) return this.root;
    if (this.chain.length === 1) {
      this.root = path.join(this.home, this.chain[0]);
      return this.root;
    }
    fs.mkdirSync(this.scratch, { mode: 0o700 });
    this.mountpoint = this.scratch;
    if (!isMountpoint(this.scratch)) {
      const fuse = this.mountProgram !== undefined;
      mountOverlaySync(this.home, overlayOptions({ lower: this.chain, readonly: true, fuse }), this.scratch, this.mountProgram);
    }
    this.root = this.scratch;
    return this.root;
  }
}

function lstat(p: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(p);
  } catch {
    return undefined;
  }
}
