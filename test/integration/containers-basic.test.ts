import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { busyboxTar, makeSelkieEnv, type SelkieEnv } from '../helpers/selkie-cli.js';

let s: SelkieEnv;
beforeAll(async () => {
  s = makeSelkieEnv();
  const r = await s.run(['import', '--change', 'CMD ["sh"]', '-', 'localhost/busybox'], { input: await busyboxTar() });
  expect(r.code).toBe(0);
});
afterAll(async () => s.cleanup());

const mountsUnder = (dir: string) => fs.readFileSync('/proc/self/mounts', 'utf8').split('\n').filter((l) => l.split(' ')[1]?.startsWith(dir));

describe('running containers through conmon and the OCI runtime', () => {
  it('runs a command attached and returns its output and exit code, leaving nothing behind with --rm', async () => {
    const r = await s.run(['run', '--rm', 'busybox', 'echo', 'hello', 'world']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('hello world\n');
    expect(r.code).toBe(0);
    expect((await s.run(['ps', '-a', '-q'])).stdout).toBe('');
    expect(mountsUnder(s.root)).toEqual([]);
  });

  it('keeps stdout and stderr apart and passes the exit code through', async () => {
    const r = await s.run(['run', '--rm', 'busybox', 'sh', '-c', 'echo out; echo err >&2; exit 3']);
    expect(r.stdout).toBe('out\n');
    expect(r.stderr).toBe('err\n');
    expect(r.code).toBe(3);
  });

  it('exits 127 for a command that does not exist and 126 for one that cannot be invoked', async () => {
    const nf = await s.run(['run', '--rm', 'busybox', '/no/such/command']);
    expect(nf.code).toBe(127);
    expect(nf.stderr).toMatch(/no\/such\/command/);
    const ni = await s.run(['run', '--rm', 'busybox', '/etc/passwd']);
    expect(ni.code).toBe(126);
    expect((await s.run(['ps', '-a', '-q'])).stdout).toBe('');
  });

  it('runs the process with the environment, user, workdir and hostname asked for', async () => {
    const r = await s.run(['run', '--rm', '-e', 'GREETING=hi there', '-u', 'nobody', '-w', '/tmp', '--hostname', 'seal', 'busybox', 'sh', '-c', 'echo "$GREETING|$(id -u)|$(pwd)|$(hostname)"']);
    expect(r.stdout).toBe('hi there|65534|/tmp|seal\n');
  });

  it('runs detached, lists, logs, stops and removes a container', async () => {
    const d = await s.run(['run', '-d', '--name', 'sleeper', 'busybox', 'sh', '-c', 'echo started; trap "exit 0" TERM; while true; do sleep 0.1; done']);
    expect(d.code).toBe(0);
    const id = d.stdout.trim();
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    const ps = await s.run(['ps']);
    expect(ps.stdout.split('\n')[0]).toMatch(/^CONTAINER ID +IMAGE +COMMAND +CREATED +STATUS +PORTS +NAMES$/);
    expect(ps.stdout).toMatch(new RegExp(`${id.slice(0, 12)} +busybox +"sh -c echo started;…" +.* ago +Up .* +sleeper`));
    expect((await s.run(['ps', '--format', '{{.Names}} {{.State}}'])).stdout).toBe('sleeper running\n');
    await new Promise((r) => setTimeout(r, 300));
    expect((await s.run(['logs', 'sleeper'])).stdout).toBe('started\n');
    const insp = JSON.parse((await s.run(['container', 'inspect', 'sleeper'])).stdout) as { State: { Running: boolean; Pid: number }; Name: string }[];
    expect(insp[0]!.State.Running).toBe(true);
    expect(insp[0]!.State.Pid).toBeGreaterThan(0);
    expect((await s.run(['rm', 'sleeper'])).code).toBe(125); // running, no -f
    expect((await s.run(['stop', '-t', '5', 'sleeper'])).stdout).toBe('sleeper\n');
    expect((await s.run(['ps', '-a', '--format', '{{.Status}}'])).stdout).toMatch(/^Exited \(0\) /);
    expect((await s.run(['wait', 'sleeper'])).stdout).toBe('0\n');
    expect((await s.run(['rm', 'sleeper'])).code).toBe(0);
    expect((await s.run(['container', 'exists', 'sleeper'])).code).toBe(1);
  });

  it('kills a container that ignores SIGTERM after the stop timeout', async () => {
    await s.run(['run', '-d', '--name', 'stubborn', 'busybox', 'sh', '-c', 'trap "" TERM; while true; do sleep 0.1; done']);
    const t0 = Date.now();
    await s.run(['stop', '-t', '1', 'stubborn']);
    expect(Date.now() - t0).toBeLessThan(8000);
    expect((await s.run(['inspect', '--format', '{{.State.ExitCode}}', 'stubborn'])).stdout).toBe('137\n');
    expect((await s.run(['rm', '-f', 'stubborn'])).code).toBe(0);
  });

  it('refuses a name in use and an unknown image with exit 125', async () => {
    await s.run(['create', '--name', 'taken', 'busybox', 'true']);
    const dup = await s.run(['create', '--name', 'taken', 'busybox', 'true']);
    expect(dup.code).toBe(125);
    expect(dup.stderr).toContain('the container name "taken" is already in use');
    const unknown = await s.run(['run', '--rm', 'no-such-image']);
    expect(unknown.code).toBe(125);
    expect(unknown.stderr).toContain('image "no-such-image" not found');
    expect((await s.run(['rm', 'taken'])).code).toBe(0);
    expect((await s.run(['rm', 'taken'])).code).toBe(1);
  });

  it('records the exit through conmon\'s exit command, and removes a detached --rm container', async () => {
    await s.run(['run', '-d', '--name', 'quick', 'busybox', 'sh', '-c', 'exit 4']);
    const rm = (await s.run(['run', '-d', '--rm', 'busybox', 'sh', '-c', 'sleep 0.2'])).stdout.trim();
    // No selkie command runs meanwhile: only `selkie container cleanup`, started by conmon, can do this.
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline && (mountsUnder(s.root).length > 0 || fs.existsSync(`${s.root}/containers/${rm}`))) await new Promise((r) => setTimeout(r, 200));
    expect(mountsUnder(s.root)).toEqual([]);
    expect(fs.existsSync(`${s.root}/containers/${rm}`)).toBe(false);
    expect((await s.run(['ps', '-a', '--format', '{{.Names}} {{.Status}}'])).stdout).toMatch(/^quick Exited \(4\) /);
    expect((await s.run(['rm', 'quick'])).code).toBe(0);
  });

  it('starts a created container and waits for it', async () => {
    const id = (await s.run(['create', 'busybox', 'sh', '-c', 'exit 7'])).stdout.trim();
    expect((await s.run(['start', '-a', id])).code).toBe(7);
    expect((await s.run(['ps', '-a', '--filter', 'exited=7', '-q'])).stdout).toBe(`${id.slice(0, 12)}\n`);
    await s.run(['rm', id]);
  });
});
