/**
 * conmon's exit files: when the container exits, conmon writes its exit code (128+N for a signal) to
 * <exit-dir>/<id> (and <persist-dir>/exit), atomically by rename. Waiting watches the directory with
 * fs.watch and polls once a second as a fallback (a watch can miss events on some filesystems, and a
 * conmon that died without writing the file is noticed by the poll).
 */
import fs from 'node:fs';
import path from 'node:path';
import { SelkieError } from '../errors.js';
import { processAlive } from '../util/process-alive.js';

const POLL_MS = 1000;

/** The exit code recorded in an exit file, or undefined when there is none (yet). */
export function readExitFile(file: string): number | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8').trim();
  } catch {
    return undefined;
  }
  if (!/^-?\d+$/.test(text)) return undefined;
  return Number(text);
}

export interface WaitOptions {
  /** Give up after this many milliseconds: resolves undefined. */
  timeoutMs?: number;
  /** Abort the wait: rejects with the signal's reason. */
  signal?: AbortSignal;
  /** conmon's pid: if it is gone and no exit file appeared, the wait fails instead of hanging. */
  conmonPid?: number;
}

/** Wait for <exitDir>/<id>; resolves with the exit code. */
export function waitForExit(exitDir: string, id: string, opts: WaitOptions & { timeoutMs: number }): Promise<number | undefined>;
export function waitForExit(exitDir: string, id: string, opts?: WaitOptions): Promise<number>;
export function waitForExit(exitDir: string, id: string, opts: WaitOptions = {}): Promise<number | undefined> {
  return watchExitFile(path.join(exitDir, id), opts);
}

/** The same, for a full exit file path (as containers/container-paths.ts gives it). */
export function waitForExitFile(file: string, conmonPid: number | undefined, timeoutMs: number): Promise<number | undefined>;
export function waitForExitFile(file: string, conmonPid?: number): Promise<number>;
export function waitForExitFile(file: string, conmonPid?: number, timeoutMs?: number): Promise<number | undefined> {
  return watchExitFile(file, { conmonPid: conmonPid || undefined, timeoutMs });
}

function watchExitFile(file: string, opts: WaitOptions): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted) return reject(opts.signal.reason);
    let watcher: fs.FSWatcher | undefined;
    let poll: NodeJS.Timeout | undefined;
    let deadline: NodeJS.Timeout | undefined;
    const finish = (err: unknown, code?: number) => {
      watcher?.close();
      clearInterval(poll);
      clearTimeout(deadline);
      opts.signal?.removeEventListener('abort', onAbort);
      if (err !== undefined) reject(err);
      else resolve(code);
    };
    const check = () => {
      const code = readExitFile(file);
      if (code !== undefined) finish(undefined, code);
      return code !== undefined;
    };
    const onAbort = () => finish(opts.signal!.reason);

    // Watch first, then look: an exit between the two is still seen.
    try {
      watcher = fs.watch(path.dirname(file), { persistent: true }, (_event, name) => {
        if (!name || name.toString() === path.basename(file)) check();
      });
      watcher.on('error', () => {
        watcher?.close();
        watcher = undefined; // the poll carries on
      });
    } catch {
      // the directory may not exist yet; the poll covers it
    }
    const conmonGone = () => {
      if (!opts.conmonPid || processAlive(opts.conmonPid) || check()) return false;
      finish(new SelkieError('runtime', `conmon (pid ${opts.conmonPid}) exited without recording the container's exit code`));
      return true;
    };
    if (check() || conmonGone()) return;
    poll = setInterval(() => check() || conmonGone(), POLL_MS);
    if (opts.timeoutMs !== undefined) deadline = setTimeout(() => finish(undefined, undefined), opts.timeoutMs);
    opts.signal?.addEventListener('abort', onAbort, { once: true });
  });
}

