import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { mountHeld } from '../../../src/engine/containers/mount-hold.js';
import { markUserMount } from '../../../src/engine/containers/user-mount.js';
import { beginRun, currentRun } from '../../../src/engine/containers/run-claim.js';
import { parseStorageOptions } from '../../../src/engine/storage/storage-options.js';
import { overlayOptions } from '../../../src/engine/storage/overlay-mount.js';
import { mountProgramUnsupportedReason } from '../../../src/engine/storage/overlay-support.js';
import { isSelkieError } from '../../../src/engine/errors.js';

describe('mount holds', () => {
  it('counts live holds and selkie mount, ignores (and removes) holds of dead processes', () => {
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'selkie-hold-')), 'ctr');
    fs.mkdirSync(path.join(dir, 'mount-holds'), { recursive: true });
    expect(mountHeld(dir)).toBe(false);
    // A pid that cannot be alive (above pid_max).
    const dead = path.join(dir, 'mount-holds', '99999999-abcd');
    fs.writeFileSync(dead, '');
    expect(mountHeld(dir)).toBe(false);
    expect(fs.existsSync(dead)).toBe(false);
    const mine = path.join(dir, 'mount-holds', `${process.pid}-abcd`);
    fs.writeFileSync(mine, '');
    expect(mountHeld(dir)).toBe(true);
    expect(mountHeld(dir, mine)).toBe(false); // the holder asking about the others
    markUserMount(dir);
    expect(mountHeld(dir, mine)).toBe(true);
    fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  });

  it('currentRun names the run a holder saw', () => {
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'selkie-hold-')), 'ctr');
    expect(currentRun(dir)).toBeUndefined();
    const run = beginRun(dir);
    expect(currentRun(dir)).toBe(run);
    fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  });
});

describe('--storage-opt and the FUSE mount program', () => {
  const message = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      if (isSelkieError(e)) return e.message;
      throw e;
    }
    return '';
  };
  it('parses overlay.mount_program and refuses what it does not know', () => {
    expect(parseStorageOptions([])).toEqual({});
    expect(parseStorageOptions(['overlay.mount_program=/usr/bin/fuse-overlayfs'])).toEqual({ mountProgram: '/usr/bin/fuse-overlayfs' });
    expect(message(() => parseStorageOptions(['overlay.mountopt=nodev']))).toMatch(/unsupported --storage-opt "overlay\.mountopt=nodev"/);
    expect(message(() => parseStorageOptions(['overlay.mount_program=']))).toMatch(/needs a value/);
  });
  it('gives a FUSE program only the layer directories', () => {
    expect(overlayOptions({ lower: ['l/A', 'l/B'], upper: 'c/diff', work: 'c/work', fuse: true })).toBe('lowerdir=l/A:l/B,upperdir=c/diff,workdir=c/work');
    expect(overlayOptions({ lower: ['l/A'], readonly: true, fuse: true })).toBe('lowerdir=l/A');
    expect(overlayOptions({ lower: ['l/A'], upper: 'c/diff', work: 'c/work' })).toMatch(/^lowerdir=l\/A,upperdir=c\/diff,workdir=c\/work,index=off/);
  });
  it('says why a mount program cannot work', () => {
    expect(mountProgramUnsupportedReason('fuse-overlayfs')).toMatch(/not an absolute path/);
    expect(mountProgramUnsupportedReason('/nonexistent/fuse-overlayfs')).toMatch(/does not exist or is not executable/);
  });
});
