/**
 * The cleanup path of an attached `run --rm`: the CLI removes the container itself and calls off
 * conmon's delayed exit command; a CLI killed before that leaves the exit command to do the work.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { busyboxTar, makeSelkieEnv, selkieBin, type SelkieEnv } from '../helpers/selkie-cli.js';

let s: SelkieEnv;
beforeAll(async () => {
  s = makeSelkieEnv();
  expect((await s.run(['import', '-', 'localhost/busybox'], { input: await busyboxTar() })).code).toBe(0);
});
afterAll(async () => s.cleanup());

const mountsUnder = (dir: string) => fs.readFileSync('/proc/self/mounts', 'utf8').split('\n').filter((l) => l.split(' ')[1]?.startsWith(dir));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('run --rm cleanup path', () => {
  it('an attached run --rm leaves no container, mount or runtime state behind', async () => {
    const r = await s.run(['run', '--rm', '--name', 'rm-attached', 'busybox', 'sh', '-c', 'echo out; exit 3']);
    expect(r.stdout).toBe('out\n');
    expect(r.code).toBe(3);
    expect((await s.run(['ps', '-a', '-q'])).stdout).toBe('');
    expect(mountsUnder(s.root)).toEqual([]);
    const runcRoot = `${s.runroot}/runc`;
    expect(fs.existsSync(runcRoot) ? fs.readdirSync(runcRoot) : []).toEqual([]);
    // The name is free again at once.
    expect((await s.run(['run', '--rm', '--name', 'rm-attached', 'busybox', 'true'])).code).toBe(0);
  }, 60_000);

  it('start -a of a container created with --rm removes it before returning', async () => {
    expect((await s.run(['create', '--rm', '--name', 'rm-start-a', 'busybox', 'sh', '-c', 'echo started; exit 2'])).code).toBe(0);
    const r = await s.run(['start', '-a', 'rm-start-a']);
    expect(r.stdout).toBe('started\n');
    expect(r.code).toBe(2);
    expect((await s.run(['ps', '-a', '-q', '--filter', 'name=rm-start-a'])).stdout).toBe('');
    expect(mountsUnder(s.root)).toEqual([]);
  }, 60_000);

  it("removes the container through conmon's exit command when the attached CLI was killed", async () => {
    const child = spawn(selkieBin, [...s.flags, 'run', '--rm', '--name', 'rm-killed-cli', 'busybox', 'sleep', '2'], { stdio: 'ignore' });
    try {
      // Wait until the container runs, then kill the CLI that would have cleaned up.
      for (let i = 0; i < 300; i++) {
        const ps = await s.run(['ps', '--filter', 'name=rm-killed-cli', '--format', '{{.State}}']);
        if (ps.stdout.trim() === 'running') break;
        await sleep(100);
      }
      child.kill('SIGKILL');
      await new Promise((r) => child.on('close', r));
      let left = 'x';
      for (let i = 0; i < 300 && left !== ''; i++) {
        await sleep(100);
        left = (await s.run(['ps', '-a', '-q', '--filter', 'name=rm-killed-cli'])).stdout;
      }
      expect(left).toBe('');
      expect(mountsUnder(s.root)).toEqual([]);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  }, 90_000);

  it("an exit command for a store that was deleted meanwhile does nothing, and creates no store", async () => {
    const { spawnSync } = await import('node:child_process');
    const gone = `${s.root}-deleted`;
    const r = spawnSync(selkieBin, ['--root', gone, '--runroot', `${gone}-run`, 'container', 'cleanup', '--run', 'x', 'a'.repeat(64)], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(fs.existsSync(gone)).toBe(false);
    fs.rmSync(`${gone}-run`, { recursive: true, force: true });
  });
});

