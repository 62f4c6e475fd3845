/**
 * How both drivers make layers appear atomically: each is built in a temporary sibling directory
 * HOME/.tmp-<pid>-<random> and renamed into place when complete. A rename that finds the layer
 * already there (another process built the same layer) discards ours: theirs is complete, since
 * only complete layers are ever renamed in. Removal renames the layer away first, then deletes it.
 * A crashed process leaves only its .tmp-<pid>-* directories; cleanupTemp() removes those of dead
 * processes (never those of a live one, which may be building right now).
 */
import fs from 'node:fs';
import path from 'node:path';
import { invalid } from '../errors.js';
import { removeTree } from './host-tools.js';
import { processAlive } from '../util/process-alive.js';
import { randomId } from '../util/ids.js';

const TEMP_PREFIX = '.tmp-';

/** Layer and container IDs are file names in HOME: hex digests and the like, nothing else. */
export function checkId(id: string, what: string, reserved: readonly string[] = []): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/.test(id) || reserved.includes(id)) {
    throw invalid(`invalid ${what} ID ${JSON.stringify(id)}`);
  }
}

/** A fresh temporary path in `home` (not created). */
export function tempPath(home: string, tag = ''): string {
  return path.join(home, `${TEMP_PREFIX}${process.pid}-${tag}${randomId().slice(0, 12)}`);
}

/**
 * Renames the complete `tmp` to `final`. Returns false when `final` already existed (the temp is
 * then removed); the caller's parent directory entry is made durable on success.
 */
export async function publish(tmp: string, final: string): Promise<boolean> {
  try {
    fs.renameSync(tmp, final);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw e;
    await removeTree(tmp);
    return false;
  }
  fsyncDir(path.dirname(final));
  return true;
}

/** Makes a directory's entries (a rename into it) durable. */
export function fsyncDir(dir: string): void {
  const fd = fs.openSync(dir, fs.constants.O_RDONLY | fs.constants.O_DIRECTORY);
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Removes `dir` (if present): renamed out of sight first, so it is never seen half-deleted. */
export async function discard(home: string, dir: string): Promise<void> {
  const doomed = tempPath(home, 'rm-');
  try {
    fs.renameSync(dir, doomed);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  await removeTree(doomed);
}

/**
 * Removes the temporary directories of processes that no longer run (best effort: what cannot be
 * removed now is tried again next time). `beforeRemove` can undo mounts made inside one. Returns
 * how many such directories there were (something was interrupted).
 */
export async function cleanupTempDirs(home: string, beforeRemove?: (dir: string) => Promise<void>): Promise<number> {
  let names: string[];
  try {
    names = fs.readdirSync(home); // sync: every command opens storage, and fs/promises would be loaded just for this
  } catch {
    return 0;
  }
  let stale = 0;
  for (const name of names) {
    const m = /^\.tmp-(\d+)-/.exec(name);
    if (!m || processAlive(Number(m[1]))) continue;
    stale++;
    const dir = path.join(home, name);
    try {
      await beforeRemove?.(dir);
      await removeTree(dir);
    } catch {
      // left for the next cleanup
    }
  }
  return stale;
}

/** Whether `p` exists (lstat). Synchronous inside: one quick syscall, not worth a threadpool round trip. */
export async function exists(p: string): Promise<boolean> {
  try {
    fs.lstatSync(p);
    return true;
  } catch {
    return false;
  }
}
