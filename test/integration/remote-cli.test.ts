/**
 * The remote CLI: `selkie --url unix://…` against a `system service --varlink` behaves as the local
 * CLI (output, exit codes, errors); named connections; `varlink bridge` (starting the service on
 * demand); and `--url ssh://…` through Debian's sshd on a loopback port with keys made for the test,
 * plus a host that refuses SSH.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VarlinkClient } from '../../src/engine/varlink/client.js';
import { encodeMessage, MessageDecoder } from '../../src/engine/varlink/codec.js';
import { busyboxEnv, selkieBin, type RunResult, type SelkieEnv } from '../helpers/selkie-cli.js';

let s: SelkieEnv;
let base: string;
let sock: string;
let service: ChildProcess;
const children: ChildProcess[] = [];

/** bin/selkie without the private --root flags (a remote command must not need them). */
function cli(args: string[], env: NodeJS.ProcessEnv = {}, input = ''): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(selkieBin, args, { env: { ...process.env, XDG_CONFIG_HOME: path.join(base, 'config'), ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 128, stdout, stderr });
    });
    child.stdin.end(input);
  });
}

async function waitForSocket(p: string, timeoutMs = 15_000): Promise<void> {
  for (const until = Date.now() + timeoutMs; ; ) {
    try {
      (await VarlinkClient.connect(`unix:${p}`)).close();
      return;
    } catch (e) {
      if (Date.now() > until) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

beforeAll(async () => {
  s = await busyboxEnv();
  base = path.dirname(s.root);
  sock = path.join(base, 'varlink.sock');
  service = spawn(selkieBin, [...s.flags, 'system', 'service', '--varlink', '--timeout', '0', `unix:${sock}`], { stdio: ['ignore', 'ignore', 'pipe'] });
  service.stderr?.on('data', (d: Buffer) => process.stderr.write(`[varlink service] ${d}`));
  children.push(service);
  await waitForSocket(sock);
}, 60_000);

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
  await Promise.all(children.map((c) => (c.exitCode === null && c.signalCode === null ? new Promise((r) => c.once('exit', r)) : undefined)));
  await s?.cleanup();
}, 60_000);

describe('selkie --url unix://…', () => {
  const url = () => ['--url', `unix://${sock}`];

  it('ps, images, run -d, logs, exec, rm behave as locally', async () => {
    const images = await cli([...url(), 'images', '--format', '{{.Repository}}:{{.Tag}} {{.ID}}']);
    expect(images.code, images.stderr).toBe(0);
    expect(images.stdout).toBe((await s.run(['images', '--format', '{{.Repository}}:{{.Tag}} {{.ID}}'])).stdout);

    const run = await cli([...url(), 'run', '-d', '--name', 'rweb', '--network', 'none', 'localhost/busybox', 'sh', '-c', 'echo ready; exec sleep 60']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.trim()).toMatch(/^[0-9a-f]{64}$/);

    const fmt = ['ps', '-a', '--format', '{{.ID}} {{.Names}} {{.Image}} {{.Command}}'];
    const remotePs = await cli([...url(), ...fmt]);
    expect(remotePs.code, remotePs.stderr).toBe(0);
    expect(remotePs.stdout).toBe((await s.run(fmt)).stdout);
    expect(remotePs.stdout).toContain('rweb');

    let logs: RunResult | undefined;
    for (let i = 0; i < 50; i++) {
      logs = await cli([...url(), 'logs', 'rweb']);
      if (logs.stdout) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(logs!.stdout).toBe('ready\n');

    const exec = await cli([...url(), 'exec', '-i', 'rweb', 'sh', '-c', 'cat; exit 5'], {}, 'through stdin\n');
    expect(exec.stdout).toBe('through stdin\n');
    expect(exec.code).toBe(5);

    const rm = await cli([...url(), 'rm', '-f', 'rweb']);
    expect(rm.code, rm.stderr).toBe(0);
    expect((await cli([...url(), 'ps', '-a', '-q'])).stdout).toBe('');
  }, 60_000);

  it('an attached run returns the container exit code; errors match the local ones', async () => {
    const run = await cli([...url(), 'run', '--rm', '--network', 'none', 'localhost/busybox', 'sh', '-c', 'echo out; echo err >&2; exit 3']);
    expect(run.stdout).toBe('out\n');
    expect(run.stderr).toBe('err\n');
    expect(run.code).toBe(3);

    const remote = await cli([...url(), 'inspect', 'no-such-thing']);
    const local = await s.run(['inspect', 'no-such-thing']);
    expect(remote.code).toBe(125);
    expect(remote.code).toBe(local.code);
    expect(remote.stderr).toBe(local.stderr);

    const bad = await cli([...url(), 'run', '--network', 'none', 'localhost/no-such-image']);
    expect(bad.code).toBe(125);
    expect(bad.stderr).toBe((await s.run(['run', '--network', 'none', 'localhost/no-such-image'])).stderr);
  }, 60_000);

  it('pod create, start, ps, top, stop, rm', async () => {
    const created = await cli([...url(), 'pod', 'create', '--name', 'rpod', '--network', 'none']);
    expect(created.code, created.stderr).toBe(0);
    const started = await cli([...url(), 'pod', 'start', 'rpod']);
    expect(started.code, started.stderr).toBe(0);
    const member = await cli([...url(), 'run', '-d', '--pod', 'rpod', '--name', 'rpodc', 'localhost/busybox', 'sleep', '60']);
    expect(member.code, member.stderr).toBe(0);
    const ps = await cli([...url(), 'pod', 'ps', '--format', '{{.Name}} {{.Status}} {{.NumberOfContainers}}']);
    expect(ps.stdout).toBe('rpod Running 2\n');
    expect(ps.stdout).toBe((await s.run(['pod', 'ps', '--format', '{{.Name}} {{.Status}} {{.NumberOfContainers}}'])).stdout);
    expect((await cli([...url(), 'pod', 'top', 'rpod'])).stdout).toContain('sleep 60');
    expect((await cli([...url(), 'pod', 'stop', '-t', '1', 'rpod'])).code).toBe(0);
    const rm = await cli([...url(), 'pod', 'rm', '-f', 'rpod']);
    expect(rm.code, rm.stderr).toBe(0);
    expect((await s.run(['pod', 'ps', '-q'])).stdout).toBe('');
  }, 60_000);

  it('a socket nobody serves: a clear error naming it', async () => {
    const r = await cli(['--url', `unix://${base}/nothing.sock`, 'ps']);
    expect(r.code).toBe(125);
    expect(r.stderr).toContain(`unix://${base}/nothing.sock`);
    expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1);
  });
});

describe('named connections', () => {
  it('add, list, use with --connection and --remote, default, remove', async () => {
    expect((await cli(['system', 'connection', 'add', 'here', `unix://${sock}`])).code).toBe(0);
    expect((await cli(['system', 'connection', 'add', 'other', 'ssh://root@192.0.2.1:2222/run/x.sock', '--identity', '/k'])).code).toBe(0);
    const list = await cli(['system', 'connection', 'list', '--format', '{{.Name}} {{.URI}} {{.Identity}} {{.Default}}']);
    expect(list.stdout).toBe(`here unix://${sock}  true\nother ssh://root@192.0.2.1:2222/run/x.sock /k false\n`);
    const file = path.join(base, 'config', 'selkie', 'connections.json');
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toMatchObject({ default: 'here' });
    expect((fs.statSync(file).mode & 0o777).toString(8)).toBe('600');

    expect((await cli(['--connection', 'here', 'images', '-q'])).stdout).toBe((await s.run(['images', '-q'])).stdout);
    expect((await cli(['--remote', 'version', '--format', '{{.Server.Version}}'])).code).toBe(0);
    expect((await cli(['images', '-q'], { CONTAINER_HOST: `unix://${sock}` })).stdout).toBe((await s.run(['images', '-q'])).stdout);

    expect((await cli(['system', 'connection', 'default', 'other'])).code).toBe(0);
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).default).toBe('other');
    const missing = await cli(['--connection', 'nope', 'ps']);
    expect(missing.code).toBe(125);
    expect(missing.stderr).toContain('"nope"');
    expect((await cli(['system', 'connection', 'rm', 'other'])).code).toBe(0);
    expect((await cli(['system', 'connection', 'remove', 'here'])).code).toBe(0);
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).connections).toEqual({});
    expect((await cli(['system', 'connection', 'add', 'x', 'ftp://nope'])).code).toBe(125);
  }, 60_000);
});

describe('selkie varlink bridge', () => {
  it('relays stdin/stdout to the service, starting it when nothing listens', async () => {
    const sock2 = path.join(base, 'bridge.sock');
    const request = Buffer.concat([encodeMessage({ method: 'io.selkie.Version' }), encodeMessage({ method: 'io.selkie.ListContainers', parameters: { options: { all: true } } })]);
    const bridge = spawn(selkieBin, [...s.flags, 'varlink', 'bridge', '--timeout', '1', `unix:${sock2}`], { stdio: ['pipe', 'pipe', 'pipe'] });
    children.push(bridge);
    const decoder = new MessageDecoder();
    const replies: Record<string, unknown>[] = [];
    bridge.stdin.write(request);
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('no replies through the bridge')), 20_000);
      bridge.stdout.on('data', (d: Buffer) => {
        decoder.push(d);
        for (let m = decoder.next(); m; m = decoder.next()) replies.push(m);
        if (replies.length === 2) {
          clearTimeout(t);
          resolve();
        }
      });
    });
    bridge.stdin.end();
    expect(await new Promise((r) => bridge.once('exit', r))).toBe(0);
    expect((replies[0]!.parameters as { version: { Engine: { Version: string } } }).version.Engine.Version).toMatch(/^\d/);
    expect(replies[1]).toEqual({ parameters: { containers: expect.any(Array) } });
    expect((replies[1]!.parameters as { containers: unknown[] }).containers).toHaveLength((await s.run(['ps', '-a', '-q'])).stdout.split('\n').filter(Boolean).length);
    // The service the bridge started exits once idle (--timeout 1) and removes its socket.
    for (let i = 0; i < 100 && fs.existsSync(sock2); i++) await new Promise((r) => setTimeout(r, 100));
    expect(fs.existsSync(sock2)).toBe(false);
  }, 60_000);
});

describe('selkie --url ssh://…', () => {
  let dir: string;
  let port: number;
  let sshd: ChildProcess | undefined;
  let madeRunSshd = false;
  let logins = 0;
  const controlDir = () => path.join(dir, 'control');
  const sshEnv = () => ({ SELKIE_REMOTE_COMMAND: selkieBin, SELKIE_SSH_KNOWN_HOSTS: path.join(dir, 'known_hosts'), SELKIE_SSH_CONTROL_DIR: controlDir() });

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(base, 'ssh-'));
    fs.chmodSync(dir, 0o700);
    for (const k of ['host_key', 'client_key']) {
      const r = spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `selkie-test-${k}`, '-f', path.join(dir, k)]);
      if (r.status !== 0) throw new Error(`ssh-keygen: ${r.stderr}`);
    }
    fs.copyFileSync(path.join(dir, 'client_key.pub'), path.join(dir, 'authorized_keys'));
    port = await freePort();
    fs.writeFileSync(
      path.join(dir, 'sshd_config'),
      [
        `HostKey ${dir}/host_key`,
        `AuthorizedKeysFile ${dir}/authorized_keys`,
        'PermitRootLogin prohibit-password',
        'PasswordAuthentication no',
        'KbdInteractiveAuthentication no',
        'UsePAM no',
        'StrictModes no',
        `PidFile ${dir}/sshd.pid`,
        'LogLevel INFO',
        '',
      ].join('\n'),
    );
    if (!fs.existsSync('/run/sshd')) {
      fs.mkdirSync('/run/sshd', { mode: 0o755 });
      madeRunSshd = true;
    }
    sshd = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', path.join(dir, 'sshd_config'), '-p', String(port), '-o', 'ListenAddress=127.0.0.1'], { stdio: ['ignore', 'ignore', 'pipe'] });
    sshd.stderr?.on('data', (d: Buffer) => {
      logins += (d.toString().match(/Accepted publickey/g) ?? []).length;
      if (/error|fatal/i.test(d.toString())) process.stderr.write(`[sshd] ${d}`);
    });
    for (const until = Date.now() + 10_000; ; ) {
      if (await canConnect(port)) break;
      if (Date.now() > until) throw new Error('sshd did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
  }, 30_000);

  afterAll(async () => {
    // The shared connections' masters (ssh-master.ts) would otherwise outlive the test by ControlPersist.
    for (const name of fs.existsSync(controlDir()) ? fs.readdirSync(controlDir()) : []) {
      spawnSync('ssh', ['-S', path.join(controlDir(), name), '-O', 'exit', 'selkie-test-host'], { stdio: 'ignore' });
    }
    if (sshd && sshd.exitCode === null) {
      sshd.kill('SIGTERM');
      await new Promise((r) => sshd!.once('exit', r));
    }
    if (madeRunSshd) fs.rmSync('/run/sshd', { recursive: true, force: true });
  });

  it('ps, run -d, logs and rm work through sshd with the test key', async () => {
    const url = ['--url', `ssh://root@127.0.0.1:${port}${sock}`, '--identity', path.join(dir, 'client_key')];
    const run = await cli([...url, 'run', '-d', '--name', 'sshc', '--network', 'none', 'localhost/busybox', 'sh', '-c', 'echo over-ssh; exec sleep 60'], sshEnv());
    expect(run.code, run.stderr).toBe(0);
    const ps = await cli([...url, 'ps', '--format', '{{.Names}}'], sshEnv());
    expect(ps.code, ps.stderr).toBe(0);
    expect(ps.stdout).toBe('sshc\n');
    let logs = '';
    for (let i = 0; i < 50 && !logs; i++) {
      logs = (await cli([...url, 'logs', 'sshc'], sshEnv())).stdout;
      if (!logs) await new Promise((r) => setTimeout(r, 100));
    }
    expect(logs).toBe('over-ssh\n');
    const missing = await cli([...url, 'inspect', 'no-such-thing'], sshEnv());
    expect(missing.code).toBe(125);
    expect(missing.stderr).toBe((await s.run(['inspect', 'no-such-thing'])).stderr);
    expect((await cli([...url, 'rm', '-f', 'sshc'], sshEnv())).code).toBe(0);
    expect((await s.run(['ps', '-a', '-q'])).stdout).toBe('');
    // Every command (and each one's extra channels) went through one shared connection: one login.
    expect(logins).toBe(1);
    const [master] = fs.readdirSync(controlDir()).filter((n) => !n.includes('.'));
    const check = spawnSync('ssh', ['-S', path.join(controlDir(), master!), '-O', 'check', 'selkie-test-host'], { encoding: 'utf8' });
    expect(check.stderr).toMatch(/Master running/);
  }, 60_000);

  it('a master that was killed is replaced by the next command', async () => {
    const [master] = fs.readdirSync(controlDir()).filter((n) => !n.includes('.'));
    const check = spawnSync('ssh', ['-S', path.join(controlDir(), master!), '-O', 'check', 'x'], { encoding: 'utf8' });
    const pid = Number(/pid=(\d+)/.exec(check.stderr)?.[1]);
    expect(pid).toBeGreaterThan(0);
    process.kill(pid, 'SIGKILL');
    const before = logins;
    const url = ['--url', `ssh://root@127.0.0.1:${port}${sock}`, '--identity', path.join(dir, 'client_key')];
    const ps = await cli([...url, 'ps', '-a', '--format', '{{.Names}}'], sshEnv());
    expect(ps.code, ps.stderr).toBe(0);
    expect(logins).toBe(before + 1);
    expect(spawnSync('ssh', ['-S', path.join(controlDir(), master!), '-O', 'check', 'x'], { encoding: 'utf8' }).stderr).toMatch(/Master running/);
  }, 60_000);

  it('a key the host does not accept, and a host that refuses SSH: clear errors naming the host', async () => {
    const wrongKey = path.join(dir, 'host_key');
    const denied = await cli(['--url', `ssh://root@127.0.0.1:${port}${sock}`, '--identity', wrongKey, 'ps'], sshEnv());
    expect(denied.code).toBe(125);
    expect(denied.stderr).toContain(`ssh://root@127.0.0.1:${port}`);
    expect(denied.stderr).toContain('Permission denied');

    const closed = await freePort();
    const refused = await cli(['--url', `ssh://root@127.0.0.1:${closed}`, '--identity', path.join(dir, 'client_key'), 'ps'], sshEnv());
    expect(refused.code).toBe(125);
    expect(refused.stderr).toContain(`ssh://root@127.0.0.1:${closed}`);
    expect(refused.stderr).toContain('Connection refused');
  }, 60_000);
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const c = net.connect({ host: '127.0.0.1', port });
    c.once('connect', () => (c.destroy(), resolve(true)));
    c.once('error', () => resolve(false));
  });
}
