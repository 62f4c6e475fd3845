/**
 * Each start of a container is a "run" with a token; conmon's exit command carries it. Releasing a
 * run's resources (unmount, runtime state) happens once per run, by whichever process claims it
 * first: the CLI that waited for the container, a later command, or conmon's exit command. A late
 * exit command of an earlier run therefore cannot tear down a newer run or a `selkie mount`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomId } from '../util/ids.js';

const tokenFile = (runDir: string) => path.join(runDir, 'run-token');
const claimFile = (runDir: string) => path.join(runDir, 'released');
const doneFile = (runDir: string) => path.join(runDir, 'release-done');

/** Begin a new run: a fresh token, nothing released yet. */
export function beginRun(runDir: string): string {
  const token = randomId().slice(0, 16);
  fs.mkdirSync(runDir, { recursive: true, mode: 0o700 });
  fs.rmSync(claimFile(runDir), { force: true });
  fs.rmSync(doneFile(runDir), { force: true });
  fs.writeFileSync(tokenFile(runDir), token);
  return token;
}

/** The current run's token (undefined: the container never ran, or its run state is gone). */
export function currentRun(runDir: string): string | undefined {
  try {
    return fs.readFileSync(tokenFile(runDir), 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * Claim the release of the current run (or of run `token` only, when given). True for exactly
 * one caller per run; false when there is no run, it was released already, or `token` is stale.
 */
export function claimRelease(runDir: string, token?: string): boolean {
  let current: string;
  try {
    current = fs.readFileSync(tokenFile(runDir), 'utf8');
  } catch {
    return false; // never started (or removed): nothing of a run to release
  }
  if (token !== undefined && token !== current) return false;
  try {
    // The claimant's pid: a start waiting for this release (waitForRelease) stops waiting if it died.
    const fd = fs.openSync(claimFile(runDir), 'wx');
    fs.writeSync(fd, String(process.pid));
    fs.closeSync(fd);
    return true;
  } catch {
    return false;
  }
}

/** The claimed release is complete (network torn down, leases released). */
export function finishRelease(runDir: string): void {
  try {
    fs.writeFileSync(doneFile(runDir), '');
  } catch {
    // The run directory is gone (the container was removed): nothing waits for it.
  }
}

/**
 * Wait until a release another process claimed (conmon's exit command) has finished, so a new run
 * does not set up what that release is still tearing down (the same netns path, the same leases).
 * Returns at once when nothing is claimed, the release is done, or its claimant is gone.
 */
export async function waitForRelease(runDir: string, timeoutMs = 15_000): Promise<void> {
  for (const until = Date.now() + timeoutMs; Date.now() < until; await new Promise((r) => setTimeout(r, 10))) {
    let pid: number;
    try {
      pid = Number(fs.readFileSync(claimFile(runDir), 'utf8'));
    } catch {
      return; // not claimed
    }
    if (!pid || fs.existsSync(doneFile(runDir))) return;
    try {
      process.kill(pid, 0);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ESRCH') return; // the claimant died mid-release
    }
  }
}
