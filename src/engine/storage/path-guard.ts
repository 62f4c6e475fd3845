/**
 * Containment of a layer being applied: every entry name is normalized to a path relative to the
 * layer root and refused if it leaves it, and every parent directory on the way to it is checked
 * with lstat to be a real directory (never a symlink), so no write ever lands outside the root.
 * Checked directories are cached; whatever removes or replaces a directory tells the guard.
 */
import fs from 'node:fs';
import path from 'node:path';
import { invalid } from '../errors.js';

const malformedHint = 'the image is malformed or hostile; pull it from a source you trust';

/**
 * The path of a tar entry relative to the layer root ('' is the root itself). A leading "/" or "./"
 * is dropped (tar does the same); a name that still climbs out after normalization ("../x",
 * "/a/../../x") is refused, naming the entry.
 */
export function normalizeEntryPath(name: string, entry: string = name): string {
  if (name.includes('\0')) throw invalid(`layer entry ${JSON.stringify(entry)} has a NUL byte in its name`, malformedHint);
  const stripped = name.replace(/^\/+/, '');
  const p = path.posix.normalize(stripped === '' ? '.' : stripped).replace(/\/+$/, '');
  if (p === '..' || p.startsWith('../')) {
    throw invalid(`layer entry ${JSON.stringify(entry)} points outside the layer`, malformedHint);
  }
  return p === '.' || p === '' ? '' : p;
}

export const parentOf = (rel: string): string => {
  const i = rel.lastIndexOf('/');
  return i < 0 ? '' : rel.slice(0, i);
};

export const joinRel = (dir: string, name: string): string => (dir === '' ? name : `${dir}/${name}`);

export class PathGuard {
  /** Relative paths known to be real directories (not symlinks) inside the root. */
  private readonly dirs = new Set<string>(['']);

  /** `makeDir(rel)` creates a missing parent directory (the driver decides its metadata). */
  constructor(
    readonly root: string,
    private readonly makeDir: (rel: string) => void,
  ) {}

  abs(rel: string): string {
    return rel === '' ? this.root : `${this.root}/${rel}`;
  }

  /**
   * Makes sure every parent of `rel` is a real directory, creating missing ones when `create`.
   * Returns false when a parent is missing and `create` is false. Refuses symlinked parents and
   * parents that are not directories, naming the entry.
   */
  ensureParents(rel: string, entry: string, create = true): boolean {
    if (rel === '') return true;
    let i = rel.indexOf('/');
    while (i >= 0) {
      const prefix = rel.slice(0, i);
      if (!this.dirs.has(prefix) && !this.checkDir(prefix, entry, create)) return false;
      i = rel.indexOf('/', i + 1);
    }
    return true;
  }

  /** Like ensureParents, then `rel` itself must be (or, when `create`, becomes) a real directory. */
  ensureDir(rel: string, entry: string, create = true): boolean {
    if (!this.ensureParents(rel, entry, create)) return false;
    return this.dirs.has(rel) || this.checkDir(rel, entry, create);
  }

  /** `rel` was just made a real directory by the caller. */
  markDir(rel: string): void {
    this.dirs.add(rel);
  }

  /** `rel` was removed or replaced; when it was a directory, everything under it is gone too. */
  forget(rel: string, wasDir: boolean): void {
    this.dirs.delete(rel);
    if (!wasDir) return;
    const prefix = `${rel}/`;
    for (const d of this.dirs) if (d.startsWith(prefix)) this.dirs.delete(d);
  }

  private checkDir(rel: string, entry: string, create: boolean): boolean {
    const st = fs.lstatSync(this.abs(rel), { throwIfNoEntry: false });
    if (!st) {
      if (!create) return false;
      this.makeDir(rel);
      this.dirs.add(rel);
      return true;
    }
    if (st.isSymbolicLink()) {
      throw invalid(`layer entry ${JSON.stringify(entry)}: ${JSON.stringify(rel)} is a symbolic link; refusing to write through it`, malformedHint);
    }
    if (!st.isDirectory()) {
      throw invalid(`layer entry ${JSON.stringify(entry)}: ${JSON.stringify(rel)} is not a directory`, malformedHint);
    }
    this.dirs.add(rel);
    return true;
  }
}
