/**
 * One Engine test suite, run against LocalEngine (in this process, from dist/cli/engine.cjs) and
 * against RemoteEngine over a real `selkie system service --varlink` (private --root, unix socket):
 * the same calls must give the same results and the same errors (kind, message, exit code).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PassThrough, Readable, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine/engine.js';
import { isSelkieError } from '../../src/engine/errors.js';
import { RemoteEngine } from '../../src/engine/remote/remote-engine.js';
import { VarlinkClient } from '../../src/engine/varlink/client.js';
import { useFixtures } from '../fixtures/inject.js';
import { busyboxTar, makeSelkieEnv, repo, selkieBin, type SelkieEnv } from '../helpers/selkie-cli.js';

const fx = useFixtures();
const plain = fx.registries.plain;
const savedEnv = { REGISTRY_AUTH_FILE: process.env.REGISTRY_AUTH_FILE, CONTAINERS_REGISTRIES_CONF: process.env.CONTAINERS_REGISTRIES_CONF };

function collector(): { stream: Writable; text: () => string } {
  const chunks: Buffer[] = [];
  return { stream: new Writable({ write: (c: Buffer, _e, done) => (chunks.push(Buffer.from(c)), done()) }), text: () => Buffer.concat(chunks).toString() };
}

async function caught(p: Promise<unknown>): Promise<{ kind: string; message: string; exitCode: number }> {
  try {
    await p;
  } catch (e) {
    if (!isSelkieError(e)) throw e;
    return { kind: e.kind, message: e.message, exitCode: e.exitCode };
  }
  throw new Error('expected the call to fail');
}

interface Subject {
  env: SelkieEnv;
  engine: Engine;
  stop(): Promise<void>;
}

async function localSubject(): Promise<Subject> {
  const env = makeSelkieEnv({ storageDriver: 'vfs' });
  const { LocalEngine } = createRequire(import.meta.url)(path.join(repo, 'dist/cli/engine.cjs')) as typeof import('../../src/engine/local/local-engine.js');
  const engine = new LocalEngine({ root: env.root, runRoot: env.runroot, storageDriver: 'vfs' });
  return { env, engine, stop: async () => engine.close() };
}

async function remoteSubject(): Promise<Subject> {
  const env = makeSelkieEnv({ storageDriver: 'vfs' });
  const sock = path.join(path.dirname(env.root), 'varlink.sock');
  const service: ChildProcess = spawn(selkieBin, [...env.flags, 'system', 'service', '--varlink', '--timeout', '0', `unix:${sock}`], { stdio: ['ignore', 'ignore', 'pipe'] });
  service.stderr?.on('data', (d: Buffer) => process.stderr.write(`[varlink service] ${d}`));
  for (const until = Date.now() + 15_000; ; ) {
    try {
      (await VarlinkClient.connect(`unix:${sock}`)).close();
      break;
    } catch (e) {
      if (Date.now() > until) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const engine = new RemoteEngine(`unix://${sock}`);
  return {
    env,
    engine,
    stop: async () => {
      await engine.close();
      service.kill('SIGTERM');
      if (service.exitCode === null) await new Promise((r) => service.once('exit', r));
    },
  };
}

describe.each([
  ['LocalEngine', localSubject],
  ['RemoteEngine over varlink', remoteSubject],
] as const)('Engine conformance: %s', (_name, make) => {
  let s: Subject;
  let e: Engine;

  beforeAll(async () => {
    process.env.REGISTRY_AUTH_FILE = fx.isolation.authFile;
    process.env.CONTAINERS_REGISTRIES_CONF = fx.isolation.registriesConf;
    s = await make();
    e = s.engine;
    await e.images.import(Readable.from(await busyboxTar()), { reference: 'localhost/busybox', changes: ['CMD ["sh"]'] });
  }, 60_000);

  afterAll(async () => {
    await s?.stop();
    await s?.env.cleanup();
    for (const [k, v] of Object.entries(savedEnv)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }, 60_000);

  it('containers: create, start, logs, exec, top, stop, list, inspect, rm', async () => {
    const { id, name } = await e.containers.create({ image: 'localhost/busybox', name: 'conf1', network: 'none', command: ['sh', '-c', 'echo started; exec sleep 60'] });
    expect(name).toBe('conf1');
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    await e.containers.start('conf1');
    expect((await e.containers.inspect('conf1')).State.Running).toBe(true);

    let lines: string[] = [];
    for (let i = 0; i < 50 && !lines.includes('started'); i++) {
      lines = [];
      for await (const l of e.containers.logs('conf1')) lines.push(l.text);
      if (!lines.includes('started')) await new Promise((r) => setTimeout(r, 100));
    }
    expect(lines).toEqual(['started']);

    const out = collector();
    const err = collector();
    const r = await e.containers.exec('conf1', { cmd: ['sh', '-c', 'read x; echo "got $x"; echo oops >&2; exit 4'], interactive: true }, { stdin: Readable.from(['line\n']), stdout: out.stream, stderr: err.stream });
    expect(r.exitCode).toBe(4);
    expect(out.text()).toBe('got line\n');
    expect(err.text()).toBe('oops\n');

    const top = await e.containers.top('conf1', ['pid', 'args']);
    expect(top.titles).toEqual(['PID', 'COMMAND']);
    expect(top.processes.map((p) => p[1])).toContain('sleep 60');

    const listed = await e.containers.list({ all: true });
    expect(listed.map((c) => [c.Id, c.Names, c.State])).toEqual([[id, ['conf1'], 'running']]);

    await e.containers.stop('conf1', { timeout: 1 });
    expect((await e.containers.inspect(id)).State.Status).toBe('exited');
    await e.containers.remove('conf1');
    expect(await e.containers.list({ all: true })).toEqual([]);
  }, 60_000);

  it('containers: an attached start relays the output and wait returns the exit code', async () => {
    await e.containers.create({ image: 'localhost/busybox', name: 'conf2', network: 'none', command: ['sh', '-c', 'echo to-out; echo to-err >&2; exit 3'] });
    const out = collector();
    const err = collector();
    await e.containers.start('conf2', { stdout: out.stream, stderr: err.stream });
    expect(await e.containers.wait('conf2')).toBe(3);
    expect(out.text()).toBe('to-out\n');
    expect(err.text()).toBe('to-err\n');
    await e.containers.remove('conf2');
  }, 60_000);

  it("containers: a terminal follows the client's size (exec and attach with a TTY)", async () => {
    await e.containers.create({ image: 'localhost/busybox', name: 'conf-tty', network: 'none', tty: true, interactive: true, command: ['sh'] });
    await e.containers.start('conf-tty');
    // A client's size source: the size when the engine starts listening, and a change later.
    const sizes = (first: { rows: number; cols: number }, later: { rows: number; cols: number }) => {
      const ee = new EventEmitter();
      ee.on('newListener', (ev: string, fn: (s: unknown) => void) => ev === 'resize' && queueMicrotask(() => fn(first)));
      setTimeout(() => ee.emit('resize', later), 600);
      return ee;
    };
    const out = collector();
    const r = await e.containers.exec('conf-tty', { cmd: ['sh', '-c', 'stty size; sleep 1.5; stty size'], tty: true }, { stdout: out.stream, resize: sizes({ rows: 21, cols: 61 }, { rows: 33, cols: 77 }) });
    expect(r.exitCode).toBe(0);
    expect(out.text().replace(/\r/g, '').trim().split('\n').at(-1)).toBe('33 77');

    // Attached to the container's own terminal: its shell sees the new size.
    const stdin = new PassThrough();
    const shown = collector();
    const attached = e.containers.attach('conf-tty', { stdin, stdout: shown.stream, resize: sizes({ rows: 40, cols: 100 }, { rows: 44, cols: 111 }) }, { detachKeys: '' });
    await new Promise((res) => setTimeout(res, 1200));
    stdin.write('stty size; exit\n');
    await attached;
    expect(shown.text()).toContain('44 111');

    // An attachment ended by its signal is a detach: the container keeps running.
    await e.containers.start('conf-tty');
    const abort = new AbortController();
    const ending = e.containers.attach('conf-tty', { stdout: collector().stream, signal: abort.signal }, { detachKeys: '' });
    setTimeout(() => abort.abort(), 500);
    expect(await ending).toEqual({ detached: true });
    expect((await e.containers.inspect('conf-tty')).State.Running).toBe(true);
    await e.containers.remove('conf-tty', { force: true });
  }, 60_000);

  it('containers: cp in and out, export', async () => {
    await e.containers.create({ image: 'localhost/busybox', name: 'conf3', network: 'none', command: ['sleep', '60'] });
    await e.containers.start('conf3');
    const tar = createTar('hello.txt', 'hi there\n');
    await e.containers.copyTo('conf3', '/tmp', Readable.from(tar));
    const got = await e.containers.copyFrom('conf3', '/tmp/hello.txt');
    expect(got.stat.name).toBe('hello.txt');
    const bytes = await readAll(got.tar);
    expect(bytes.subarray(512, 512 + 9).toString()).toBe('hi there\n');
    const exported = await readAll(await e.containers.export('conf3'));
    expect(exported.length).toBeGreaterThan(100_000);
    await e.containers.remove('conf3', { force: true });
  }, 60_000);

  it('errors: the same kind, message and exit code', async () => {
    expect(await caught(e.containers.inspect('no-such-container'))).toMatchObject({ kind: 'not-found', exitCode: 125 });
    expect((await caught(e.containers.inspect('no-such-container'))).message).toContain('no-such-container');
    expect(await caught(e.images.inspect('localhost/nope:1'))).toMatchObject({ kind: 'not-found', exitCode: 125 });
    await e.containers.create({ image: 'localhost/busybox', name: 'dup', network: 'none' });
    expect(await caught(e.containers.create({ image: 'localhost/busybox', name: 'dup', network: 'none' }))).toMatchObject({ kind: 'conflict', exitCode: 125 });
    await e.containers.remove('dup');
  }, 60_000);

  it('images: list, inspect, tag, pull from the fixture registry, remove', async () => {
    const list = await e.images.list();
    expect(list.flatMap((i) => i.RepoTags ?? [])).toContain('localhost/busybox:latest');
    const inspected = await e.images.inspect('localhost/busybox');
    await e.images.tag('localhost/busybox', 'localhost/conf:tagged');
    expect((await e.images.inspect('localhost/conf:tagged')).Id).toBe(inspected.Id);
    const removed = await e.images.remove('localhost/conf:tagged');
    expect(removed.untagged).toEqual(['localhost/conf:tagged']);
    expect(removed.deleted).toEqual([]);

    const progress: string[] = [];
    const id = await e.images.pull(`${plain.host}/busybox:latest`, { tlsVerify: false, onProgress: (p) => progress.push(p.kind) });
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    expect(progress).toContain('blob');
    expect(await e.images.exists(`${plain.host}/busybox:latest`)).toBe(true);
    const gone = await e.images.remove(`${plain.host}/busybox:latest`);
    expect(gone.untagged).toEqual([`${plain.host}/busybox:latest`]);
    expect(gone.deleted.map((d) => d.replace(/^sha256:/, ''))).toContain(id);
  }, 120_000);

  it('pods: create, start, top, stop, rm', async () => {
    const pod = await e.pods.create({ name: 'cpod', network: ['none'] });
    await e.containers.create({ image: 'localhost/busybox', name: 'cpod-member', pod: 'cpod', command: ['sleep', '60'] });
    const started = await e.pods.start('cpod');
    expect(started.errors).toEqual([]);
    const top = await e.pods.top('cpod', ['args']);
    expect(top.processes.flat()).toContain('sleep 60');
    expect((await e.pods.list()).map((p) => [p.Name, p.Status])).toEqual([['cpod', 'Running']]);
    expect((await e.pods.inspect('cpod')).Id).toBe(pod.id);
    await e.pods.stop('cpod', { timeout: 1 });
    const rm = await e.pods.remove('cpod', { force: true });
    expect(rm.id).toBe(pod.id);
    expect(await e.pods.exists('cpod')).toBe(false);
  }, 60_000);

  it('volumes: create, list, inspect, remove', async () => {
    const v = await e.volumes.create({ name: 'cvol', labels: { a: 'b' } });
    expect(v.Name).toBe('cvol');
    expect((await e.volumes.list()).map((x) => x.Name)).toEqual(['cvol']);
    expect((await e.volumes.inspect('cvol')).Labels).toEqual({ a: 'b' });
    await e.volumes.remove('cvol');
    expect(await e.volumes.exists('cvol')).toBe(false);
    expect(await caught(e.volumes.inspect('cvol'))).toMatchObject({ kind: 'not-found' });
  });

  it('events: history and a live stream ended by its signal', async () => {
    const since = Date.now() - 120_000;
    const seen: string[] = [];
    for await (const ev of e.system.events({ since })) seen.push(`${ev.Type} ${ev.Status}`);
    expect(seen).toContain('volume create');
    expect(seen).toContain('pod create');

    const ac = new AbortController();
    const live: string[] = [];
    const done = (async () => {
      for await (const ev of e.system.events({ stream: true, since: Date.now(), signal: ac.signal })) {
        live.push(`${ev.Type} ${ev.Status} ${ev.Name}`);
        if (ev.Name === 'evvol') ac.abort();
      }
    })();
    await new Promise((r) => setTimeout(r, 300));
    await e.volumes.create({ name: 'evvol' });
    await Promise.race([done, new Promise((_r, reject) => setTimeout(() => reject(new Error('no live event')), 10_000))]);
    expect(live).toContain('volume create evvol');
    await e.volumes.remove('evvol');
  }, 30_000);

  it('system: version and info', async () => {
    expect((await e.system.version()).Engine.Version).toMatch(/^\d+\.\d+/);
    const info = await e.system.info();
    expect(JSON.stringify(info)).toContain(s.env.root);
  });
});

async function readAll(r: Readable | PassThrough): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of r) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks);
}

/** A one-file ustar archive. */
function createTar(name: string, content: string): Buffer {
  const header = Buffer.alloc(512);
  header.write(name, 0);
  header.write('0000644\0', 100);
  header.write('0000000\0', 108);
  header.write('0000000\0', 116);
  header.write(`${Buffer.byteLength(content).toString(8).padStart(11, '0')}\0`, 124);
  header.write(`${Math.floor(Date.now() / 1000).toString(8).padStart(11, '0')}\0`, 136);
  header.write('        ', 148);
  header.write('0', 156);
  header.write('ustar\0', 257);
  header.write('00', 263);
  let sum = 0;
  for (const b of header) sum += b;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  const body = Buffer.alloc(Math.ceil(Buffer.byteLength(content) / 512) * 512);
  body.write(content);
  return Buffer.concat([header, body, Buffer.alloc(1024)]);
}

