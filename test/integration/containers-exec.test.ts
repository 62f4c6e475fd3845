import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { busyboxTar, makeSelkieEnv, selkieBin, type SelkieEnv } from '../helpers/selkie-cli.js';

let s: SelkieEnv;
beforeAll(async () => {
  s = makeSelkieEnv();
  const r = await s.run(['import', '--change', 'CMD ["sh"]', '--change', 'ENV FROM_IMAGE=yes', '-', 'localhost/busybox'], { input: await busyboxTar() });
  expect(r.code).toBe(0);
  expect((await s.run(['run', '-d', '--name', 'box', 'busybox', 'sh', '-c', 'trap "exit 0" TERM; while true; do sleep 0.1; done'])).code).toBe(0);
}, 120_000);
afterAll(async () => s.cleanup());

describe('exec', () => {
  it('runs a command in a running container with its output, exit code and environment', async () => {
    const r = await s.run(['exec', 'box', 'sh', '-c', 'echo "out $FROM_IMAGE"; echo err >&2; exit 3']);
    expect(r.stdout).toBe('out yes\n');
    expect(r.stderr).toBe('err\n');
    expect(r.code).toBe(3);
  });

  it('applies -e, --env-file, -u and -w, and relays stdin with -i', async () => {
    const envFile = path.join(s.root, '..', 'exec.env');
    fs.writeFileSync(envFile, '# comment\nFROM_FILE=file value\n');
    const r = await s.run(['exec', '-e', 'GREETING=hi', '--env-file', envFile, '-u', 'nobody', '-w', '/tmp', 'box', 'sh', '-c', 'echo "$GREETING|$FROM_FILE|$(id -u)|$(pwd)"']);
    expect(r.stdout).toBe('hi|file value|65534|/tmp\n');
    expect(r.code).toBe(0);
    const cat = await s.run(['exec', '-i', 'box', 'sh', '-c', 'tr a-z A-Z'], { input: 'piped in\n' });
    expect(cat.stdout).toBe('PIPED IN\n');
  });

  it('gives the process a terminal with -t and every capability with --privileged', async () => {
    const t = await s.run(['exec', '-t', 'box', 'sh', '-c', 'test -t 1 && echo tty']);
    expect(t.stdout.replace(/\r/g, '')).toBe('tty\n');
    const capEff = async (extra: string[]) => (await s.run(['exec', ...extra, 'box', 'sh', '-c', 'grep ^CapEff /proc/self/status'])).stdout.split(/\s+/)[1]!;
    const plain = BigInt(`0x${await capEff([])}`);
    const privileged = BigInt(`0x${await capEff(['--privileged'])}`);
    expect(privileged & plain).toBe(plain);
    expect(privileged).toBeGreaterThan(plain);
  });

  it('maps a missing command to 127 and a non-executable one to 126', async () => {
    const nf = await s.run(['exec', 'box', '/no/such/command']);
    expect(nf.code).toBe(127);
    expect(nf.stderr).toMatch(/no\/such\/command/);
    expect((await s.run(['exec', 'box', '/etc/passwd'])).code).toBe(126);
    const user = await s.run(['exec', '-u', 'nosuchuser', 'box', 'true']);
    expect(user.code).toBe(125);
    expect(user.stderr).toContain('exec in container box: unable to find user nosuchuser');
  });

  it('passes a TERM sent to the CLI on to the process and returns its exit code', async () => {
    const child = spawn(selkieBin, [...s.flags, 'exec', 'box', 'sh', '-c', 'trap "echo got-term; exit 5" TERM; echo ready; while true; do sleep 0.1; done'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    for (let i = 0; i < 100 && !out.includes('ready'); i++) await new Promise((r) => setTimeout(r, 50));
    expect(out).toBe('ready\n');
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    expect(out).toBe('ready\ngot-term\n');
    expect(code).toBe(5);
  });

  it('runs detached with -d and prints the session ID', async () => {
    const d = await s.run(['exec', '-d', 'box', 'sh', '-c', 'echo detached > /tmp/marker']);
    expect(d.code).toBe(0);
    expect(d.stdout).toMatch(/^[0-9a-f]{64}\n$/);
    let out = '';
    for (let i = 0; i < 50 && out !== 'detached\n'; i++) {
      out = (await s.run(['exec', 'box', 'cat', '/tmp/marker'])).stdout;
      if (out !== 'detached\n') await new Promise((r) => setTimeout(r, 100));
    }
    expect(out).toBe('detached\n');
  });

  it('refuses a container that is not running, and one that does not exist', async () => {
    expect((await s.run(['stop', 'box'])).code).toBe(0);
    const r = await s.run(['exec', 'box', 'true']);
    expect(r.code).toBe(125);
    expect(r.stderr).toContain('container box is not running');
    expect((await s.run(['exec', 'nothing-here', 'true'])).code).toBe(125);
    expect((await s.run(['rm', 'box'])).code).toBe(0);
  });
});
