/**
 * The runtime layer against the real conmon and OCI runtime of this host: a busybox root filesystem,
 * a generated config.json, conmon create, the attach helper, runtime start, the exit file.
 */
import { execFileSync, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SelkieError } from '../../src/engine/errors.js';
import { attach } from '../../src/engine/runtime/attach.js';
import { readExitFile, startConmon, waitForExit, type ConmonOptions, type ConmonStarted } from '../../src/engine/runtime/conmon.js';
import { nativeBinary, nativeDir } from '../../src/engine/runtime/native-binary.js';
import { OciRuntime } from '../../src/engine/runtime/oci-runtime.js';
import { generateSpec, type SpecInput } from '../../src/engine/runtime/oci-spec.js';
import { openRuntime } from '../../src/engine/runtime/runtime-select.js';
import { repoRoot } from '../../src/engine/util/repo-root.js';

const haveTools = fs.existsSync('/usr/bin/conmon') && fs.existsSync('/bin/busybox') && process.getuid?.() === 0;
const APPLETS = ['sh', 'echo', 'cat', 'sleep', 'true', 'false', 'ls', 'id', 'hostname', 'touch'];

let tmp: string;
let rootfs: string;
let runtime: OciRuntime;
const created: { id: string; conmonPidFile: string }[] = [];

function buildRootfs(dir: string): void {
  fs.mkdirSync(path.join(dir, 'bin'), { recursive: true });
  fs.copyFileSync('/bin/busybox', path.join(dir, 'bin/busybox'));
  fs.chmodSync(path.join(dir, 'bin/busybox'), 0o755);
  for (const a of APPLETS) fs.symlinkSync('busybox', path.join(dir, 'bin', a));
  for (const d of ['proc', 'sys', 'dev', 'etc', 'tmp', 'run']) fs.mkdirSync(path.join(dir, d), { recursive: true });
  fs.chmodSync(path.join(dir, 'tmp'), 0o1777);
  fs.writeFileSync(path.join(dir, 'not-executable'), '#!/bin/sh\necho no\n', { mode: 0o644 });
}

interface Prepared {
  id: string;
  opts: ConmonOptions;
  exitDir: string;
  logPath: string;
}

function prepare(args: string[], extra: Partial<SpecInput> = {}, conmon: Partial<ConmonOptions> = {}): Prepared {
  const id = crypto.randomBytes(32).toString('hex');
  const bundle = path.join(tmp, 'containers', id, 'userdata');
  const runDir = path.join(tmp, 'run', 'containers', id);
  const exitDir = path.join(tmp, 'run', 'exits');
  for (const d of [bundle, runDir, exitDir, path.join(bundle, 'persist'), path.join(tmp, 'run', 'socket')]) {
    fs.mkdirSync(d, { recursive: true });
  }
  const spec = generateSpec({
    args,
    env: [],
    rootfs,
    hostname: id.slice(0, 12),
    networkNamespace: 'new',
    cgroupsPath: `/selkie-test/${id}`,
    ...extra,
  });
  fs.writeFileSync(path.join(bundle, 'config.json'), JSON.stringify(spec));
  const logPath = path.join(bundle, 'ctr.log');
  const conmonPidFile = path.join(runDir, 'conmon.pid');
  created.push({ id, conmonPidFile });
  return {
    id,
    exitDir,
    logPath,
    opts: {
      id,
      name: `test-${id.slice(0, 8)}`,
      runtime,
      bundle,
      pidFile: path.join(runDir, 'pidfile'),
      conmonPidFile,
      exitDir,
      persistDir: path.join(bundle, 'persist'),
      socketDir: path.join(tmp, 'run', 'socket'),
      logPath,
      terminal: Boolean(extra.terminal),
      ...conmon,
    },
  };
}

function collector() {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (d: Buffer) => chunks.push(d));
  return { stream, text: () => Buffer.concat(chunks).toString() };
}

/** conmon create → attach → runtime start → output → exit code: an attached `run`. */
async function runAttached(args: string[], extra: Partial<SpecInput> = {}, input?: string) {
  const p = prepare(args, extra, { stdin: input !== undefined });
  const out = collector();
  const err = collector();
  const started = await startConmon(p.opts);
  const session = await attach(
    started.attachSocket,
    { streams: { stdout: out.stream, stderr: err.stream, stdin: input !== undefined ? Readable.from([input]) : undefined } },
    { stdin: input !== undefined, tty: extra.terminal },
  );
  await runtime.start(p.id);
  const result = await session.done;
  const code = await waitForExit(p.exitDir, p.id);
  return { ...p, started, code, result, stdout: out.text(), stderr: err.text() };
}

async function cleanupContainer(id: string, conmonPidFile: string): Promise<void> {
  await runtime.delete(id, { force: true }).catch(() => {});
  // A conmon still running for this container (only ours: the pid's command line names the id).
  try {
    const pid = Number(fs.readFileSync(conmonPidFile, 'utf8'));
    if (pid > 0 && fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(id)) process.kill(pid, 'SIGKILL');
  } catch {
    // gone already
  }
}

describe.skipIf(!haveTools)('runtime layer with conmon and the OCI runtime', () => {
  beforeAll(() => {
    if (!fs.existsSync(path.join(nativeDir(), 'selkie-attach'))) {
      execFileSync('make', ['-s', '-C', path.join(repoRoot(), 'native/conmon'), `OUT=${nativeDir()}`], { stdio: 'inherit' });
    }
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'selkie-runtime-'));
    rootfs = path.join(tmp, 'rootfs');
    buildRootfs(rootfs);
    runtime = openRuntime(undefined, { runRoot: path.join(tmp, 'run') });
  });

  afterAll(async () => {
    for (const c of created) await cleanupContainer(c.id, c.conmonPidFile);
    for (const ctl of fs.existsSync('/sys/fs/cgroup') ? fs.readdirSync('/sys/fs/cgroup') : []) {
      try {
        fs.rmdirSync(path.join('/sys/fs/cgroup', ctl, 'selkie-test'));
      } catch {
        // not there, or not empty (a leak the test output shows)
      }
    }
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('picks a runtime that works here and reads its version', async () => {
    const v = await runtime.version();
    expect(v.name).toBe(runtime.name);
    expect(v.version).toMatch(/^\d+\.\d+/);
  });

  it('runs echo hello attached: relayed stdout, exit code 0, k8s-file log', async () => {
    const r = await runAttached(['echo', 'hello']);
    expect(r.stdout).toBe('hello\n');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.result.detached).toBe(false);
    expect(r.started.pid).toBeGreaterThan(0);
    expect(r.started.conmonPid).toBeGreaterThan(0);
    const log = fs.readFileSync(r.logPath, 'utf8');
    expect(log).toMatch(/^\S+ stdout F hello$/m);
  });

  it('reports a non-zero exit code', async () => {
    const r = await runAttached(['sh', '-c', 'exit 3']);
    expect(r.code).toBe(3);
  });

  it('keeps stderr apart from stdout', async () => {
    const r = await runAttached(['sh', '-c', 'echo out; echo err >&2; echo out2']);
    expect(r.stdout).toBe('out\nout2\n');
    expect(r.stderr).toBe('err\n');
    const log = fs.readFileSync(r.logPath, 'utf8');
    expect(log).toMatch(/ stderr F err$/m);
    expect(log).toMatch(/ stdout F out2$/m);
  });

  it('relays stdin and closes it at end of input', async () => {
    const r = await runAttached(['cat'], {}, 'line one\nline two\n');
    expect(r.stdout).toBe('line one\nline two\n');
    expect(r.code).toBe(0);
  });

  it('relays large input and output in both directions at once without loss', async () => {
    const input = Array.from({ length: 40_000 }, (_, i) => `line ${i} ${'x'.repeat(40)}\n`).join(''); // ~2 MB
    const r = await runAttached(['cat'], {}, input);
    expect(r.stdout.length).toBe(input.length);
    expect(r.stdout === input).toBe(true);
    expect(r.code).toBe(0);
  });

  it('honours a read-only root with writable /tmp, the hostname and the user', async () => {
    const r = await runAttached(['sh', '-c', 'touch /x 2>/dev/null && echo root-writable; touch /tmp/y && echo tmp-ok; hostname; id -u; id -G'], {
      readonly: true,
      hostname: 'box1',
      uid: 1000,
      gid: 1000,
      additionalGids: [2000],
    });
    expect(r.stdout).toBe('tmp-ok\nbox1\n1000\n1000 2000\n');
  });

  it('runs with a terminal', async () => {
    const r = await runAttached(['sh', '-c', 'test -t 1 && echo tty'], { terminal: true });
    expect(r.stdout).toBe('tty\r\n');
    expect(r.code).toBe(0);
  });

  it('maps a missing command to command-not-found (127)', async () => {
    const p = prepare(['/no/such/command']);
    const e = await startConmon(p.opts).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(SelkieError);
    expect((e as SelkieError).kind).toBe('command-not-found');
    expect((e as SelkieError).exitCode).toBe(127);
    expect((e as SelkieError).message).toContain('/no/such/command');
    expect((e as SelkieError).message).not.toContain('level=error');
  });

  it('maps a command not on PATH to command-not-found (127)', async () => {
    const p = prepare(['nosuchcommand']);
    const e = await startConmon(p.opts).catch((x: unknown) => x);
    expect((e as SelkieError).kind).toBe('command-not-found');
  });

  it('maps a non-executable file to cannot-invoke (126)', async () => {
    const p = prepare(['/not-executable']);
    const e = await startConmon(p.opts).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(SelkieError);
    expect((e as SelkieError).kind).toBe('cannot-invoke');
    expect((e as SelkieError).exitCode).toBe(126);
  });

  it('runs detached, kills with SIGKILL: 137 from the exit file; runs the exit command', async () => {
    const marker = path.join(tmp, 'exit-command-ran');
    const p = prepare(['sleep', '100'], {}, { exitCommand: ['/bin/sh', '-c', `echo "$0" > ${marker}`, 'cleaned'] });
    const started = await startConmon(p.opts);
    await runtime.start(p.id);
    expect((await runtime.state(p.id)).status).toBe('running');
    await runtime.pause(p.id);
    expect((await runtime.state(p.id)).status).toBe('paused');
    await runtime.resume(p.id);
    const session = await attach(started.attachSocket, { streams: {} });
    session.stop();
    expect(await session.done).toEqual({ detached: true });
    expect(readExitFile(path.join(p.exitDir, p.id))).toBeUndefined();
    expect(await waitForExit(p.exitDir, p.id, { timeoutMs: 50 })).toBeUndefined();
    await runtime.kill(p.id, 'SIGKILL');
    const code = await waitForExit(p.exitDir, p.id, { conmonPid: started.conmonPid });
    expect(code).toBe(137);
    expect(readExitFile(path.join(p.opts.persistDir!, 'exit'))).toBe(137);
    for (let i = 0; i < 50 && !fs.existsSync(marker); i++) await new Promise((r) => setTimeout(r, 100));
    expect(fs.readFileSync(marker, 'utf8').trim()).toBe('cleaned');
    await runtime.delete(p.id);
    await expect(runtime.state(p.id)).rejects.toMatchObject({ kind: 'not-found' });
  });

  it('attaches while conmon is still creating the container (waitForSocket)', async () => {
    const p = prepare(['echo', 'overlapped']);
    const out = collector();
    const [started, session] = await Promise.all([
      startConmon(p.opts),
      attach(path.join(p.opts.bundle, 'attach'), { streams: { stdout: out.stream } }, { waitForSocket: 10_000 }),
    ]);
    await runtime.start(p.id);
    await session.done;
    expect(out.text()).toBe('overlapped\n');
    expect(await waitForExit(p.exitDir, p.id, { conmonPid: started.conmonPid })).toBe(0);
  });

  it('detaches from a terminal with ctrl-p,ctrl-q and leaves the container running', async () => {
    const p = prepare(['sh'], { terminal: true }, { stdin: true });
    const started = await startConmon(p.opts);
    await runtime.start(p.id);
    // script(1) gives the helper a terminal as stdin/stdout, as an interactive CLI would have.
    const cmd = `${nativeBinary('selkie-attach')} ${started.attachSocket} --stdin --tty --resize ${started.ctlFifo}`;
    const term = spawn('script', ['-qefc', cmd, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let seen = '';
    term.stdout.on('data', (d: Buffer) => (seen += d.toString()));
    const exited = new Promise<number | null>((r) => term.once('close', (code) => r(code)));
    term.stdin.write('echo hi-$((40+2))\r');
    for (let i = 0; i < 100 && !seen.includes('hi-42'); i++) await new Promise((r) => setTimeout(r, 50));
    expect(seen).toContain('hi-42');
    term.stdin.write('\x10\x11');
    expect(await exited).toBe(3);
    expect((await runtime.state(p.id)).status).toBe('running');
    await runtime.kill(p.id, 'KILL');
    expect(await waitForExit(p.exitDir, p.id, { conmonPid: started.conmonPid })).toBe(137);
  });

  it('reports conmon failures: missing conmon, a runtime conmon cannot run', async () => {
    const p = prepare(['true']);
    await expect(startConmon({ ...p.opts, conmonPath: '/no/such/conmon' })).rejects.toMatchObject({ kind: 'missing-tool' });
    const bogus = new OciRuntime('/no/such/runc', { runRoot: path.join(tmp, 'run') });
    await expect(startConmon({ ...p.opts, runtime: bogus })).rejects.toThrow(/conmon failed \(exit status 1\): Runtime path \/no\/such\/runc is not valid/);
  });

  it('reports attach failures: a missing socket, invalid detach keys', async () => {
    const missing = path.join(tmp, 'no-such-dir', 'attach');
    await expect(attach(missing, { streams: {} })).rejects.toThrow(/cannot attach to the container: .*No such file or directory/);
    await expect(attach(missing, { streams: {} }, { detachKeys: 'ctrl-1' })).rejects.toThrow(/invalid detach keys "ctrl-1"/);
  });

  it('deleting an unknown container with force is not an error', async () => {
    await expect(runtime.delete('no-such-container-here', { force: true })).resolves.toBeUndefined();
    await expect(runtime.kill('no-such-container-here', 'TERM')).rejects.toBeInstanceOf(SelkieError);
  });
});
