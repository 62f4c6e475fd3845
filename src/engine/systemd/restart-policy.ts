/**
 * `--restart=no|on-failure[:N]|always|unless-stopped`, honoured without a daemon: conmon runs
 * `selkie container cleanup` when the container exits, and that process decides here whether to
 * start it again. A stop or kill by the user leaves a marker in the run directory, so the container
 * stays down (as Podman's StoppedByUser). The count of restarts lives next to the container's
 * bundle; a start by the user resets it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { usageError } from '../errors.js';
import { writeFileAtomic } from '../util/atomic-file.js';

export type RestartPolicyName = 'no' | 'on-failure' | 'always' | 'unless-stopped';

export interface RestartPolicy {
  name: RestartPolicyName;
  /** on-failure only: at most this many restarts (0 = no limit). */
  maximumRetryCount: number;
}

const names: readonly RestartPolicyName[] = ['no', 'on-failure', 'always', 'unless-stopped'];

export function parseRestartPolicy(value: string | undefined): RestartPolicy {
  const v = (value ?? '').trim();
  if (v === '') return { name: 'no', maximumRetryCount: 0 };
  const [name, count, ...rest] = v.split(':');
  if (!names.includes(name as RestartPolicyName) || rest.length) {
    throw usageError(`invalid --restart "${v}"`, 'use no, on-failure[:MAX-RETRIES], always or unless-stopped');
  }
  if (count === undefined) return { name: name as RestartPolicyName, maximumRetryCount: 0 };
  if (name !== 'on-failure') throw usageError(`invalid --restart "${v}": only on-failure takes a retry count`, 'use on-failure:N');
  if (!/^\d+$/.test(count)) throw usageError(`invalid --restart "${v}": the retry count must be a whole number ≥ 0`);
  return { name: 'on-failure', maximumRetryCount: Number(count) };
}

export function formatRestartPolicy(p: RestartPolicy | undefined): string {
  if (!p || p.name === 'no') return 'no';
  return p.name === 'on-failure' && p.maximumRetryCount > 0 ? `on-failure:${p.maximumRetryCount}` : p.name;
}

/** Whether a container that exited with `exitCode` after `restartCount` restarts runs again. */
export function shouldRestart(p: RestartPolicy | undefined, exitCode: number, restartCount: number, stoppedByUser: boolean): boolean {
  if (!p || p.name === 'no' || stoppedByUser) return false;
  if (p.name === 'always' || p.name === 'unless-stopped') return true;
  if (exitCode === 0) return false;
  return p.maximumRetryCount === 0 || restartCount < p.maximumRetryCount;
}

/** Delay before restart number `restartCount + 1`: 100 ms doubling, at most 10 s, so a crash loop does not spin. */
export function restartDelayMs(restartCount: number): number {
  return Math.min(100 * 2 ** Math.min(restartCount, 10), 10_000);
}

// --- per-container state -----------------------------------------------------------------------

const countFile = (userdata: string) => path.join(userdata, 'restart-count');
const stopMarker = (runDir: string) => path.join(runDir, 'stopped-by-user');

export function readRestartCount(userdata: string): number {
  try {
    const n = Number(fs.readFileSync(countFile(userdata), 'utf8').trim());
    return Number.isInteger(n) && n > 0 ? n : 0;
  } catch {
    return 0;
  }
}

export function writeRestartCount(userdata: string, n: number): void {
  if (n === 0) fs.rmSync(countFile(userdata), { force: true });
  else writeFileAtomic(countFile(userdata), String(n));
}

/** Recorded before a user's stop/kill signal, so the exit that follows is not restarted. */
export function markStoppedByUser(runDir: string): void {
  try {
    fs.writeFileSync(stopMarker(runDir), '');
  } catch (e) {
    // No run directory: the container never ran (or is being removed), so no restart can follow.
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
}

export function stoppedByUser(runDir: string): boolean {
  return fs.existsSync(stopMarker(runDir));
}

export function clearStoppedByUser(runDir: string): void {
  fs.rmSync(stopMarker(runDir), { force: true });
}
