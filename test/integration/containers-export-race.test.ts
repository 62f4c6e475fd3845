/**
 * cp/export/commit right after an attached `run` returned: conmon's exit command (`container
 * cleanup`) releases the run's mount a moment later, maybe while they read the root filesystem.
 * They hold the mount (containers/mount-hold.ts), so the release waits or leaves it alone, and they
 * unmount it themselves when done. Loops run-then-export (and cp) and checks every tar is complete
 * and nothing stays mounted.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { busyboxEnv, type SelkieEnv } from '../helpers/selkie-cli.js';

let s: SelkieEnv;
beforeAll(async () => {
  s = await busyboxEnv();
});
afterAll(async () => {
  await s.cleanup();
});

const mergedOf = (id: string) => path.join(s.root, 'overlay', id, 'merged');
const mounted = (p: string) => fs.readFileSync('/proc/self/mountinfo', 'utf8').split('\n').some((l) => l.split(' ')[4] === p);
async function until(what: string, check: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('a run followed at once by export or cp', () => {
  it('export gets the whole root filesystem every time, and leaves nothing mounted', async () => {
    for (let i = 0; i < 6; i++) {
      const name = `race${i}`;
      const run = await s.run(['run', '--name', name, 'busybox', 'sh', '-c', `echo round-${i} > /mark.txt`]);
      expect(run.code).toBe(0);
      const file = path.join(path.dirname(s.root), `${name}.tar`);
      const exp = await s.run(['export', '-o', file, name]);
      expect({ round: i, stderr: exp.stderr, code: exp.code }).toEqual({ round: i, stderr: '', code: 0 });
      const list = spawnSync('tar', ['-tf', file], { encoding: 'utf8' }).stdout.split('\n');
      expect(list).toContain('bin/busybox');
      expect(spawnSync('tar', ['-xOf', file, 'mark.txt'], { encoding: 'utf8' }).stdout).toBe(`round-${i}\n`);
      fs.rmSync(file);
      // The exit command has released the run by now or will soon: the mount goes, the container stays.
      const id = (await s.run(['inspect', name, '--format', '{{.Id}}'])).stdout.trim();
      await until(`${name}'s root filesystem to be unmounted`, () => !mounted(mergedOf(id)));
    }
    expect((await s.run(['rm', ...Array.from({ length: 6 }, (_, i) => `race${i}`)])).code).toBe(0);
  });

  it('cp and commit right after run see the files too', async () => {
    for (let i = 0; i < 4; i++) {
      const name = `cprace${i}`;
      expect((await s.run(['run', '--name', name, 'busybox', 'sh', '-c', `echo cp-${i} > /cp.txt`])).code).toBe(0);
      const cp = await s.run(['cp', `${name}:/cp.txt`, '-']);
      expect(cp.code).toBe(0);
      expect(spawnSync('tar', ['-xOf', '-', 'cp.txt'], { input: cp.stdout, encoding: 'utf8' }).stdout).toBe(`cp-${i}\n`);
      expect((await s.run(['commit', name, `localhost/cprace:${i}`])).code).toBe(0);
      expect((await s.run(['run', '--rm', `localhost/cprace:${i}`, 'cat', '/cp.txt'])).stdout).toBe(`cp-${i}\n`);
      const id = (await s.run(['inspect', name, '--format', '{{.Id}}'])).stdout.trim();
      await until(`${name}'s root filesystem to be unmounted`, () => !mounted(mergedOf(id)));
      expect((await s.run(['rm', name])).code).toBe(0);
      expect((await s.run(['rmi', `localhost/cprace:${i}`])).code).toBe(0);
    }
  });

  it('exporting a container that exits meanwhile gives a whole tar, and its mount goes once it has exited', async () => {
    // The container may exit (and its release run) while export still reads: the hold keeps the mount.
    expect((await s.run(['run', '-d', '--name', 'exiting', 'busybox', 'sh', '-c', 'echo late > /late.txt; sleep 0.3'])).code).toBe(0);
    const file = path.join(path.dirname(s.root), 'exiting.tar');
    const exp = await s.run(['export', '-o', file, 'exiting']);
    expect(exp.code).toBe(0);
    expect(spawnSync('tar', ['-tf', file], { encoding: 'utf8' }).stdout.split('\n')).toContain('bin/busybox');
    expect((await s.run(['wait', 'exiting'])).code).toBe(0);
    const id = (await s.run(['inspect', 'exiting', '--format', '{{.Id}}'])).stdout.trim();
    await until('the exited container to be unmounted', () => !mounted(mergedOf(id)));
    expect((await s.run(['rm', 'exiting'])).code).toBe(0);
  });
});
