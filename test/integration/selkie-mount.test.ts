/** selkie-mount, the native mount(2)/umount2(2) helper: overlays with relative layer paths, ro, bind, and its errors. */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nativeDir } from '../../src/engine/runtime/native-binary.js';

const tool = path.join(nativeDir(), 'selkie-mount');
const run = (...args: string[]) => spawnSync(tool, args, { encoding: 'utf8' });
const mounted = (dir: string) => fs.readFileSync('/proc/self/mountinfo', 'utf8').split('\n').some((l) => l.split(' ')[4] === dir);

describe.skipIf(process.getuid?.() !== 0)('selkie-mount', () => {
  let home: string;
  beforeEach(() => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'selkie-mount-'));
    for (const d of ['l1', 'l2', 'upper', 'work', 'merged', 'bindsrc', 'bindtgt']) fs.mkdirSync(path.join(home, d));
    fs.writeFileSync(path.join(home, 'l1', 'a'), 'from l1');
    fs.writeFileSync(path.join(home, 'l2', 'a'), 'from l2');
    fs.writeFileSync(path.join(home, 'l2', 'b'), 'only l2');
    fs.writeFileSync(path.join(home, 'bindsrc', 'f'), 'bound');
  });
  afterEach(() => {
    for (const d of ['merged', 'bindtgt']) spawnSync('umount', ['-l', path.join(home, d)], { stdio: 'ignore' });
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('mounts an overlay whose layer paths are relative to DIR, upper layer writable', () => {
    const merged = path.join(home, 'merged');
    const r = run('overlay', home, 'lowerdir=l1:l2,upperdir=upper,workdir=work,index=off', merged);
    expect(r.status, r.stderr).toBe(0);
    expect(fs.readFileSync(path.join(merged, 'a'), 'utf8')).toBe('from l1');
    expect(fs.readFileSync(path.join(merged, 'b'), 'utf8')).toBe('only l2');
    fs.writeFileSync(path.join(merged, 'c'), 'new');
    expect(fs.readFileSync(path.join(home, 'upper', 'c'), 'utf8')).toBe('new');
    expect(run('umount', merged).status).toBe(0);
    expect(mounted(merged)).toBe(false);
  });

  it('makes "ro" a read-only mount', () => {
    const merged = path.join(home, 'merged');
    expect(run('overlay', home, 'lowerdir=l1:l2,ro', merged).status).toBe(0);
    expect(() => fs.writeFileSync(path.join(merged, 'x'), 'no')).toThrow(/EROFS|read-only/);
  });

  it('says why a mount fails, with mount(8)\'s exit status', () => {
    const r = run('overlay', home, 'lowerdir=missing', path.join(home, 'merged'));
    expect(r.status).toBe(32);
    expect(r.stderr).toMatch(/mounting overlay on .*merged: No such file or directory/);
  });

  it('unmount: "not mounted" and "busy" are told apart; --lazy detaches a busy mount', async () => {
    const merged = path.join(home, 'merged');
    const notMounted = run('umount', merged);
    expect(notMounted.status).toBe(32);
    expect(notMounted.stderr).toMatch(/not mounted/);
    expect(run('overlay', home, 'lowerdir=l1:l2', merged).status).toBe(0);
    const holder = spawn('sleep', ['30'], { cwd: merged, stdio: 'ignore' });
    try {
      await new Promise((r) => holder.once('spawn', r));
      const busy = run('umount', merged);
      expect(busy.status).toBe(32);
      expect(busy.stderr).toMatch(/busy/);
      expect(run('umount', '--lazy', merged).status).toBe(0);
      expect(mounted(merged)).toBe(false);
    } finally {
      holder.kill('SIGKILL');
    }
  });

  it('bind-mounts a file or directory', () => {
    const target = path.join(home, 'bindtgt');
    expect(run('bind', path.join(home, 'bindsrc'), target).status).toBe(0);
    expect(fs.readFileSync(path.join(target, 'f'), 'utf8')).toBe('bound');
    expect(run('umount', target).status).toBe(0);
  });

  it('makes a network namespace kept by a file, its loopback up, and unmounting the file ends it', () => {
    const file = path.join(home, 'netns');
    fs.writeFileSync(file, '');
    expect(run('netns', file).status).toBe(0);
    try {
      expect(mounted(file)).toBe(true);
      expect(fs.readlinkSync('/proc/self/ns/net')).not.toBe(spawnSync('nsenter', [`--net=${file}`, 'readlink', '/proc/self/ns/net'], { encoding: 'utf8' }).stdout.trim());
      const links = spawnSync('nsenter', [`--net=${file}`, 'ip', '-o', 'link', 'show'], { encoding: 'utf8' }).stdout.trim().split('\n');
      expect(links).toHaveLength(1); // only its own loopback
      expect(links[0]).toMatch(/^1: lo: <LOOPBACK,UP,LOWER_UP>/);
    } finally {
      expect(run('umount', file).status).toBe(0);
    }
    expect(mounted(file)).toBe(false);
    const missing = run('netns', path.join(home, 'no-such-file'));
    expect(missing.status).toBe(32);
    expect(missing.stderr).toMatch(/bind-mounting the network namespace on .*no-such-file: No such file or directory/);
  });

  it('refuses unknown usage with status 1', () => {
    expect(run('remount', '/').status).toBe(1);
    expect(run().status).toBe(1);
  });
});
