import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { beginRun, claimRelease } from '../../../src/engine/containers/run-claim.js';

describe('one release per container run', () => {
  it('lets exactly one caller release a run, and never a stale run', () => {
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'selkie-run-')), 'ctr');
    expect(claimRelease(dir)).toBe(false); // never started
    const first = beginRun(dir);
    expect(claimRelease(dir, 'not-this-run')).toBe(false);
    expect(claimRelease(dir, first)).toBe(true);
    expect(claimRelease(dir)).toBe(false);
    const second = beginRun(dir);
    expect(second).not.toBe(first);
    expect(claimRelease(dir, first)).toBe(false); // a late exit command of the first run
    expect(claimRelease(dir)).toBe(true);
    fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  });
});
