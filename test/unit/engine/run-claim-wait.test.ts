/** A new run waits for a release another process claimed and has not finished (run-claim.ts). */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { beginRun, claimRelease, finishRelease, waitForRelease } from '../../../src/engine/containers/run-claim.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'selkie-run-claim-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('waitForRelease', () => {
  it('returns at once when nothing is claimed or the release is done', async () => {
    const run = path.join(dir, 'a');
    beginRun(run);
    let t = Date.now();
    await waitForRelease(run, 2000);
    expect(Date.now() - t).toBeLessThan(500);
    expect(claimRelease(run)).toBe(true);
    finishRelease(run);
    t = Date.now();
    await waitForRelease(run, 2000);
    expect(Date.now() - t).toBeLessThan(500);
    // A new run forgets both.
    beginRun(run);
    expect(fs.readdirSync(run).sort()).toEqual(['run-token']);
  });

  it('waits while the claimant is alive and the release unfinished', async () => {
    const run = path.join(dir, 'b');
    beginRun(run);
    expect(claimRelease(run)).toBe(true);
    expect(fs.readFileSync(path.join(run, 'released'), 'utf8')).toBe(String(process.pid));
    const t = Date.now();
    setTimeout(() => finishRelease(run), 300);
    await waitForRelease(run, 5000);
    expect(Date.now() - t).toBeGreaterThanOrEqual(280);
  });

  it('stops waiting when the claimant died, and gives up after the timeout', async () => {
    const run = path.join(dir, 'c');
    beginRun(run);
    const child = spawn(process.execPath, ['-e', '0']);
    await new Promise((r) => child.once('exit', r));
    fs.writeFileSync(path.join(run, 'released'), String(child.pid));
    let t = Date.now();
    await waitForRelease(run, 5000);
    expect(Date.now() - t).toBeLessThan(1000);
    fs.writeFileSync(path.join(run, 'released'), String(process.pid));
    t = Date.now();
    await waitForRelease(run, 200);
    expect(Date.now() - t).toBeGreaterThanOrEqual(190);
  });
});
