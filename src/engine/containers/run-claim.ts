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

/** Begin a new run: a fresh token, nothing released yet. */
export function beginRun(runDir: string): string {
  const token = randomId().slice(0, 16);
  fs.mkdirSync(runDir, { recursive: true, mode: 0o700 });
  fs.rmSync(claimFile(runDir), { force: true });
  fs.writeFileSync(tokenFile(runDir), token);
  return token;
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
    fs.closeSync(fs.openSync(claimFile(runDir), 'wx'));
    return true;
  } catch {
    return false;
  }
}
