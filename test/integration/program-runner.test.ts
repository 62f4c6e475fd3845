/**
 * The program runner: the selkie-spawner helper and the child_process fallback behave the same
 * (one suite run against both): exit status, output, stdin, cwd, environment, signals, timeouts,
 * programs that cannot be started, many at once.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildSync } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { runProgram, runWithChildProcess, type ProgramOptions, type ProgramResult } from '../../src/engine/util/program-runner.js';
import { nativeDir } from '../../src/engine/runtime/native-binary.js';

type Runner = (argv: string[], o?: ProgramOptions) => Promise<ProgramResult>;

const runners: [string, Runner][] = [
  ['selkie-spawner', runProgram],
  ['child_process', runWithChildProcess],
];

it('the spawner helper is built (otherwise runProgram silently falls back)', () => {
  expect(fs.existsSync(path.join(nativeDir(), 'selkie-spawner'))).toBe(true);
});

describe.each(runners)('%s', (_name, run) => {
  it('returns the exit status and captured output', async () => {
    const r = await run(['sh', '-c', 'echo out; echo err >&2; exit 3'], { captureStdout: true });
    expect(r).toMatchObject({ code: 3, timedOut: false });
    expect(r.stdout.toString()).toBe('out\n');
    expect(r.stderr.toString()).toBe('err\n');
  });

  it('discards stdout unless asked to keep it', async () => {
    const r = await run(['sh', '-c', 'echo out; echo err >&2']);
    expect(r.stdout.length).toBe(0);
    expect(r.stderr.toString()).toBe('err\n');
  });

  it('feeds stdin and closes it; no input is an empty stdin', async () => {
    const input = 'line one\n'.repeat(20000); // bigger than a pipe buffer
    const r = await run(['wc', '-l'], { input, captureStdout: true });
    expect(r.stdout.toString().trim()).toBe('20000');
    const empty = await run(['cat'], { captureStdout: true });
    expect(empty).toMatchObject({ code: 0 });
    expect(empty.stdout.length).toBe(0);
  });

  it('survives a program that does not read its stdin', async () => {
    const r = await run(['true'], { input: Buffer.alloc(1 << 20) });
    expect(r.code).toBe(0);
  });

  it('keeps large output whole', async () => {
    const r = await run(['head', '-c', '3000000', '/dev/zero'], { captureStdout: true });
    expect(r.stdout.length).toBe(3000000);
  });

  it('runs in the given directory with the given environment only', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'selkie-runner-'));
    try {
      const r = await run(['sh', '-c', 'pwd; echo "$ONLY_THIS"; env | wc -l'], { cwd: dir, env: { ONLY_THIS: 'yes', PATH: '/usr/bin:/bin' }, captureStdout: true });
      const [cwd, value, count] = r.stdout.toString().trim().split('\n');
      expect(cwd).toBe(fs.realpathSync(dir));
      expect(value).toBe('yes');
      expect(Number(count)).toBeLessThanOrEqual(4); // ONLY_THIS, PATH and what sh adds (PWD, SHLVL)
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('finds system tools in sbin', async () => {
    const r = await run(['ip', '-V'], { env: { PATH: '/usr/bin:/bin' }, captureStdout: true });
    expect(r.code).toBe(0);
    expect(r.stdout.toString()).toMatch(/ip utility/);
  });

  it('reports a signal as 128+N', async () => {
    const r = await run(['sh', '-c', 'kill -TERM $$']);
    expect(r.code).toBe(128 + 15);
  });

  it('kills a program that outlives its timeout', async () => {
    const t0 = Date.now();
    const r = await run(['sleep', '30'], { timeoutMs: 200 });
    expect(r).toMatchObject({ code: 128 + 9, timedOut: true });
    expect(Date.now() - t0).toBeLessThan(10_000);
  });

  it('rejects like child_process when the program does not exist', async () => {
    await expect(run(['/nonexistent/selkie-tool'])).rejects.toMatchObject({ code: 'ENOENT', path: '/nonexistent/selkie-tool' });
    await expect(run(['no-such-selkie-program'])).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('runs many programs at once and answers each its own', async () => {
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => run(['sh', '-c', `sleep 0.0${i % 10}; echo ${i}; exit ${i % 7}`], { captureStdout: true })));
    results.forEach((r, i) => {
      expect(r.stdout.toString().trim()).toBe(String(i));
      expect(r.code).toBe(i % 7);
    });
  });
});

it('an idle spawner does not keep the process alive, and goes away with it', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'selkie-runner-'));
  try {
    const entry = path.join(dir, 'main.ts');
    fs.writeFileSync(entry, `import { runProgram } from ${JSON.stringify(path.resolve('src/engine/util/program-runner.ts'))};
runProgram(['sh', '-c', 'echo $PPID'], { captureStdout: true }).then((r) => console.log('spawner', r.stdout.toString().trim()));`);
    const out = path.join(dir, 'main.cjs');
    buildSync({ entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', outfile: out, logLevel: 'silent' });
    const res = spawnSync(process.execPath, [out], { encoding: 'utf8', timeout: 20_000, env: { ...process.env, SELKIE_NATIVE_DIR: nativeDir() } });
    expect(res.signal).toBeNull(); // not killed by the timeout: it exited by itself
    const spawnerPid = Number(/spawner (\d+)/.exec(res.stdout)?.[1]);
    expect(spawnerPid).toBeGreaterThan(0);
    expect(spawnerPid).not.toBe(res.pid);
    // The spawner sees its input close and exits.
    let alive = true;
    for (let i = 0; i < 100 && alive; i++) {
      try {
        process.kill(spawnerPid, 0);
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
      } catch {
        alive = false;
      }
    }
    expect(alive).toBe(false);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
