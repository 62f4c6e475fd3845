/**
 * The program spawner the native launcher starts before Node (native/conmon/selkie-launcher.c): the
 * CLI's programs run through it (an exec shares the CLI's own stdio through it), it holds nothing but
 * its pipes and the CLI's stdio (no activation sockets), it dies with the CLI, and SELKIE_SPAWNER=0
 * or a help/version command starts none.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { busyboxEnv, selkieBin, type SelkieEnv } from '../helpers/selkie-cli.js';

let s: SelkieEnv;
const children: ChildProcess[] = [];
beforeAll(async () => {
  s = await busyboxEnv();
  expect((await s.run(['run', '-d', '--name', 'sp', '--network', 'none', 'busybox', 'sleep', '1000'])).code).toBe(0);
}, 120_000);
afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await s.cleanup();
});

const childrenOf = (pid: number): number[] =>
  fs
    .readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        return fs.readFileSync(`/proc/${d}/stat`, 'utf8').split(') ')[1]!.split(' ')[1] === String(pid);
      } catch {
        return false;
      }
    })
    .map(Number);
const comm = (pid: number) => fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
const alive = (pid: number) => {
  try {
    return !/^\S+ \S+ Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1] ? `x x ${fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]}` : '');
  } catch {
    return false;
  }
};

/** A long exec through bin/selkie, and the spawner the launcher started for it. */
async function longExec(env: NodeJS.ProcessEnv = {}, extraFds: number[] = []): Promise<{ cli: ChildProcess; spawner?: number }> {
  const cli = spawn(selkieBin, [...s.flags, 'exec', 'sp', 'sleep', '30'], { stdio: ['ignore', 'ignore', 'pipe', ...extraFds], env: { ...process.env, ...env } });
  children.push(cli);
  // Until the runtime runs the exec: the spawner's child, or the CLI's own without a spawner.
  for (let i = 0; i < 100; i++) {
    await new Promise((r) => setTimeout(r, 100));
    const kids = childrenOf(cli.pid!);
    const spawner = kids.find((p) => comm(p) === 'selkie-spawner');
    if (spawner !== undefined && childrenOf(spawner).some((p) => comm(p) === 'runc')) return { cli, spawner };
    if (kids.some((p) => comm(p) === 'runc')) return { cli };
  }
  return { cli };
}

describe('the launcher spawner', () => {
  it('runs the exec on the CLI\'s own stdio, and holds only its pipes and that stdio', async () => {
    const { cli, spawner } = await longExec();
    expect(spawner).toBeDefined();
    // Past its stdio: pipes (to the CLI, to the running program) and the program's pidfd, nothing else.
    const past = fs.readdirSync(`/proc/${spawner}/fd`).filter((f) => Number(f) > 2).map((f) => fs.readlinkSync(`/proc/${spawner}/fd/${f}`));
    expect(past.length).toBeGreaterThanOrEqual(2);
    for (const t of past) expect(t).toMatch(/^(pipe:\[\d+\]|anon_inode:\[pidfd\])$/);
    cli.kill('SIGKILL');
  });

  it('does not hold the sockets of socket activation', async () => {
    const fd = fs.openSync('/dev/zero', 'r'); // stands for an inherited socket at fd 3 of the CLI
    const { cli, spawner } = await longExec({ LISTEN_FDS: '1' }, [fd]);
    fs.closeSync(fd);
    expect(spawner).toBeDefined();
    const targets = fs.readdirSync(`/proc/${spawner}/fd`).map((f) => fs.readlinkSync(`/proc/${spawner}/fd/${f}`));
    expect(targets).not.toContain('/dev/zero');
    cli.kill('SIGKILL');
  });

  it('dies with the CLI', async () => {
    const { cli, spawner } = await longExec();
    expect(spawner).toBeDefined();
    cli.kill('SIGKILL');
    let gone = false;
    for (let i = 0; i < 50 && !gone; i++) {
      await new Promise((r) => setTimeout(r, 100));
      gone = !alive(spawner!);
    }
    expect(gone).toBe(true);
  });

  it('is not started with SELKIE_SPAWNER=0: the CLI runs the runtime itself', async () => {
    const { cli, spawner } = await longExec({ SELKIE_SPAWNER: '0' });
    expect(spawner).toBeUndefined();
    expect(childrenOf(cli.pid!).some((p) => comm(p) === 'runc')).toBe(true);
    cli.kill('SIGKILL');
  });

  it('exit codes, stdout and a runtime error come through it as before', async () => {
    const r = await s.run(['exec', 'sp', 'sh', '-c', 'echo out; echo err >&2; exit 3']);
    expect(r).toMatchObject({ code: 3, stdout: 'out\n', stderr: 'err\n' });
    const missing = await s.run(['exec', 'sp', 'no-such-program']);
    expect(missing.code).toBe(127);
    expect(missing.stderr).toMatch(/^Error: .*no-such-program.*\n$/);
    const input = await s.run(['exec', '-i', 'sp', 'cat'], { input: 'typed\n' });
    expect(input.stdout).toBe('typed\n');
  });
});

describe('NODE_EXTRA_CA_CERTS', () => {
  it('is kept from Node\'s start-up but restored for the CLI\'s children', async () => {
    const { cli } = await longExec({ NODE_EXTRA_CA_CERTS: '/etc/ssl/certs/ca-certificates.crt' });
    const environ = fs.readFileSync(`/proc/${cli.pid}/environ`, 'utf8').split('\0');
    expect(environ).toContain('_SELKIE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt');
    expect(environ.filter((v) => v.startsWith('NODE_EXTRA_CA_CERTS='))).toEqual([]);
    cli.kill('SIGKILL');
    const r = await s.run(['run', '--rm', '--network', 'none', '--env-host', 'busybox', 'env'], { env: { NODE_EXTRA_CA_CERTS: '/some/ca.pem' } });
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout.split('\n')).toContain('NODE_EXTRA_CA_CERTS=/some/ca.pem');
    expect(r.stdout).not.toMatch(/_SELKIE_/);
  });
});

describe('GLIBC_TUNABLES', () => {
  it('tunes malloc for Node only: the CLI\'s children get the defaults, and a value the user set stands', async () => {
    const { cli } = await longExec({ GLIBC_TUNABLES: undefined });
    const environ = fs.readFileSync(`/proc/${cli.pid}/environ`, 'utf8').split('\0');
    expect(environ.filter((v) => v.startsWith('GLIBC_TUNABLES='))).toEqual([expect.stringMatching(/^GLIBC_TUNABLES=glibc\.malloc\./)]);
    cli.kill('SIGKILL');
    const plain = await s.run(['run', '--rm', '--network', 'none', '--env-host', 'busybox', 'env'], { env: { GLIBC_TUNABLES: undefined } });
    expect(plain).toMatchObject({ code: 0, stderr: '' });
    expect(plain.stdout).not.toMatch(/GLIBC_TUNABLES|_SELKIE_/);
    const own = await s.run(['run', '--rm', '--network', 'none', '--env-host', 'busybox', 'env'], { env: { GLIBC_TUNABLES: 'glibc.malloc.check=0' } });
    expect(own).toMatchObject({ code: 0, stderr: '' });
    expect(own.stdout.split('\n')).toContain('GLIBC_TUNABLES=glibc.malloc.check=0');
  });
});
