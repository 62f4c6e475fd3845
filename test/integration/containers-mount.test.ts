import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { busyboxTar, makeSelkieEnv, selkieBin, type SelkieEnv } from '../helpers/selkie-cli.js';

let s: SelkieEnv;
beforeAll(async () => {
  s = makeSelkieEnv();
  const r = await s.run(['import', '--change', 'CMD ["sh"]', '-', 'localhost/busybox'], { input: await busyboxTar() });
  expect(r.code).toBe(0);
  const made = await s.run(['run', '--name', 'made', 'busybox', 'sh', '-c', 'echo content > /made.txt && ln /made.txt /hard.txt && ln -s made.txt /soft.txt && mkfifo /pipe && rm /bin/vi']);
  expect(made.code).toBe(0);
});
afterAll(async () => s.cleanup());

const mounted = (p: string) => fs.readFileSync('/proc/self/mounts', 'utf8').split('\n').some((l) => l.split(' ')[1] === p);

describe('mount, umount and export', () => {
  it("mounts a stopped container's root filesystem and unmounts it", async () => {
    const m = await s.run(['mount', 'made']);
    expect(m.code).toBe(0);
    const p = m.stdout.trim();
    expect(fs.readFileSync(path.join(p, 'made.txt'), 'utf8')).toBe('content\n');
    expect(fs.existsSync(path.join(p, 'bin/busybox'))).toBe(true);
    expect(mounted(p)).toBe(true);
    expect((await s.run(['umount', 'made'])).stdout).toBe('made\n');
    expect(mounted(p)).toBe(false);
    expect((await s.run(['mount', 'nothing-here'])).code).toBe(125);
  });

  it("exports the container's files as a tar, to a file or to stdout", async () => {
    const file = path.join(s.root, '..', 'made.tar');
    const r = await s.run(['export', '-o', file, 'made']);
    expect(r.code).toBe(0);
    const list = spawnSync('tar', ['-tvf', file], { encoding: 'utf8' }).stdout;
    // the first path of an inode (in name order) carries the data, the other is a hard link to it
    expect(list).toMatch(/^-rw-r--r-- 0\/0 +8 .* hard\.txt$/m);
    expect(list).toMatch(/^hrw-r--r-- 0\/0 .* made\.txt link to hard\.txt$/m);
    expect(list).toMatch(/^lrwxrwxrwx 0\/0 .* soft\.txt -> made\.txt$/m);
    expect(list).toMatch(/^prw-r--r-- .* pipe$/m);
    expect(list).toMatch(/ bin\/busybox$/m);
    expect(list).not.toMatch(/ bin\/vi/);
    const content = spawnSync('tar', ['-xOf', file, 'hard.txt'], { encoding: 'utf8' }).stdout;
    expect(content).toBe('content\n');

    const piped = spawnSync(selkieBin, [...s.flags, 'export', 'made'], { maxBuffer: 64 * 1024 * 1024 });
    expect(piped.status).toBe(0);
    expect(piped.stdout.equals(fs.readFileSync(file))).toBe(true);
    // export mounts only for as long as it reads
    expect(fs.readFileSync('/proc/self/mounts', 'utf8')).not.toContain(s.root);
  });

  it('keeps a running container mounted', async () => {
    expect((await s.run(['run', '-d', '--name', 'live', 'busybox', 'sleep', '600'])).code).toBe(0);
    const r = await s.run(['umount', 'live']);
    expect(r.code).toBe(125);
    expect(r.stderr).toContain('container live is running');
    expect((await s.run(['export', '-o', path.join(s.root, '..', 'live.tar'), 'live'])).code).toBe(0);
    expect(mounted((await s.run(['mount', 'live'])).stdout.trim())).toBe(true);
    await s.run(['rm', '-f', 'live', 'made']);
  });
});
