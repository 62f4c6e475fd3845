/**
 * Removing a small directory tree in-process, as `rm -rf --one-file-system` would: a container's
 * layer after `run --rm` is a handful of entries, and forking rm for it costs more than the removal.
 * Anything unusual — many entries, a directory on another filesystem (a mount still below it), an
 * error — is left to rm, which then does the whole job with its exact semantics.
 */
import fs from 'node:fs';
import path from 'node:path';

/** Default: at most this many entries are removed in-process. */
const SMALL_TREE_ENTRIES = 256;

class LeaveToRm extends Error {}

/**
 * Remove `dir` when it is a small tree on one filesystem. True when it is gone (or was never there);
 * false when the caller should run rm (nothing removed unless a removal step itself failed midway).
 */
export function removeSmallTree(dir: string, limit = SMALL_TREE_ENTRIES): boolean {
  let root: fs.Stats;
  try {
    root = fs.lstatSync(dir);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT';
  }
  if (!root.isDirectory()) return false;
  const files: string[] = [];
  const dirs: string[] = [];
  const walk = (d: string) => {
    dirs.push(d);
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (files.length + dirs.length >= limit) throw new LeaveToRm();
      const p = path.join(d, e.name);
      if (!e.isDirectory()) {
        files.push(p);
        continue;
      }
      if (fs.lstatSync(p).dev !== root.dev) throw new LeaveToRm(); // another filesystem mounted here
      walk(p);
    }
  };
  try {
    walk(dir);
    for (const f of files) fs.unlinkSync(f);
    for (const d of dirs.reverse()) fs.rmdirSync(d);
    return true;
  } catch {
    return false;
  }
}
