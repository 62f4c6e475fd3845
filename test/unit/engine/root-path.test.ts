import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveContainerPath, resolveInRoot } from '../../../src/engine/util/root-path.js';

let root: string;
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'root-path-'));
  fs.mkdirSync(path.join(root, 'etc/sub'), { recursive: true });
  fs.symlinkSync('/etc', path.join(root, 'abs'));
  fs.symlinkSync('../../../../..', path.join(root, 'up'));
  fs.symlinkSync('sub', path.join(root, 'etc/rel'));
  fs.symlinkSync('loop2', path.join(root, 'loop1'));
  fs.symlinkSync('loop1', path.join(root, 'loop2'));
  fs.symlinkSync('/etc/sub/../../../../tmp', path.join(root, 'climb'));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('paths inside a container root', () => {
  it('follows absolute and relative symlinks relative to the root', () => {
    expect(resolveInRoot(root, '/abs/passwd')).toBe(path.join(root, 'etc/passwd'));
    expect(resolveInRoot(root, '/etc/rel/x')).toBe(path.join(root, 'etc/sub/x'));
    expect(resolveContainerPath(root, 'abs/rel')).toBe('/etc/sub');
  });

  it('never climbs above the root', () => {
    expect(resolveInRoot(root, '/up/etc/passwd')).toBe(path.join(root, 'etc/passwd'));
    expect(resolveInRoot(root, '/../../etc')).toBe(path.join(root, 'etc'));
    expect(resolveInRoot(root, '/climb/x')).toBe(path.join(root, 'tmp/x'));
    expect(resolveInRoot(root, '/')).toBe(root);
  });

  it('keeps a last symlink when asked, and missing components as they are', () => {
    expect(resolveInRoot(root, '/abs', false)).toBe(path.join(root, 'abs'));
    expect(resolveInRoot(root, '/abs', true)).toBe(path.join(root, 'etc'));
    expect(resolveInRoot(root, '/no/such/thing')).toBe(path.join(root, 'no/such/thing'));
  });

  it('refuses symlink loops', () => {
    expect(() => resolveInRoot(root, '/loop1/x')).toThrow('too many levels of symbolic links');
  });
});
