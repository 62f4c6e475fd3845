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

describe('many CLI processes at once (no daemon to serialize them)', () => {
  it('starts 20 `run -d` at once: all succeed with unique names and consistent records', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, () => s.run(['run', '-d', 'busybox', 'sleep', '60'], { timeoutMs: 120_000 })));
    for (const r of results) {
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
    }
    const ids = results.map((r) => r.stdout.trim());
    expect(new Set(ids).size).toBe(20);
    const ps = (await s.run(['ps', '--no-trunc', '--format', '{{.ID}} {{.Names}} {{.State}}'])).stdout.trim().split('\n');
    expect(ps).toHaveLength(20);
    expect(new Set(ps.map((l) => l.split(' ')[1])).size).toBe(20);
    expect(ps.every((l) => l.endsWith(' running'))).toBe(true);
    expect(ps.map((l) => l.split(' ')[0]).sort()).toEqual([...ids].sort());
    const rm = await s.run(['rm', '-f', ...ids], { timeoutMs: 120_000 });
    expect(rm.code).toBe(0);
    expect((await s.run(['ps', '-a', '-q'])).stdout).toBe('');
    expect(mountsUnder(s.root)).toEqual([]);
  }, 240_000);

  it('stays consistent when the CLI is killed with SIGKILL during run -d', async () => {
    for (const delayMs of [30, 120, 250, 400]) {
      const child = spawn(selkieBin, [...s.flags, 'run', '-d', 'busybox', 'sleep', '60'], { stdio: 'ignore' });
      await new Promise((r) => setTimeout(r, delayMs));
      child.kill('SIGKILL');
      await new Promise((r) => child.on('close', r));
    }
    // Every record that exists is in a state the commands understand, and all of them can be removed.
    const ps = await s.run(['ps', '-a', '--no-trunc', '--format', '{{.ID}} {{.State}}']);
    expect(ps.code).toBe(0);
    const rows = ps.stdout.trim().split('\n').filter(Boolean);
    for (const r of rows) expect(['created', 'running', 'exited']).toContain(r.split(' ')[1]);
    if (rows.length) expect((await s.run(['rm', '-f', ...rows.map((r) => r.split(' ')[0]!)])).code).toBe(0);
    expect((await s.run(['ps', '-a', '-q'])).stdout).toBe('');
    // And the next run works.
    const next = await s.run(['run', '--rm', 'busybox', 'echo', 'still fine']);
    expect(next.stderr).toBe('');
    expect(next.stdout).toBe('still fine\n');
    expect(mountsUnder(s.root)).toEqual([]);
  }, 120_000);
});
