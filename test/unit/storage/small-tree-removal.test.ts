import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { removeSmallTree } from '../../../src/engine/storage/small-tree-removal.js';

describe('removeSmallTree', () => {
  const dirs: string[] = [];
  const tree = () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'selkie-small-tree-'));
    dirs.push(d);
    fs.mkdirSync(path.join(d, 'diff', 'etc'), { recursive: true });
    fs.mkdirSync(path.join(d, 'work', 'work'), { recursive: true });
    fs.writeFileSync(path.join(d, 'diff', 'etc', 'hosts'), 'x');
    fs.symlinkSync('/nonexistent', path.join(d, 'diff', 'dangling'));
    fs.writeFileSync(path.join(d, 'link'), 'abc');
    return d;
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  it('removes a small tree with files, directories and dangling symlinks', () => {
    const d = tree();
    expect(removeSmallTree(d)).toBe(true);
    expect(fs.existsSync(d)).toBe(false);
  });

  it('counts a missing directory as removed', () => {
    expect(removeSmallTree(path.join(os.tmpdir(), 'selkie-no-such-dir-for-test'))).toBe(true);
  });

  it('leaves a tree above the entry limit untouched for rm', () => {
    const d = tree();
    expect(removeSmallTree(d, 3)).toBe(false);
    expect(fs.readFileSync(path.join(d, 'diff', 'etc', 'hosts'), 'utf8')).toBe('x');
  });

  it('leaves a plain file to rm', () => {
    const d = tree();
    expect(removeSmallTree(path.join(d, 'link'))).toBe(false);
    expect(fs.existsSync(path.join(d, 'link'))).toBe(true);
  });

  it.runIf(process.getuid?.() === 0)('leaves a tree with a filesystem mounted below it to rm', () => {
    const d = tree();
    const mp = path.join(d, 'diff', 'etc');
    expect(spawnSync('mount', ['-t', 'tmpfs', 'tmpfs', mp]).status).toBe(0);
    try {
      fs.writeFileSync(path.join(mp, 'inside'), 'y');
      expect(removeSmallTree(d)).toBe(false);
      expect(fs.readFileSync(path.join(mp, 'inside'), 'utf8')).toBe('y');
    } finally {
      spawnSync('umount', [mp]);
    }
  });
});
