/**
 * The Cockpit bridge (dist/bridge/selkie-bridge.cjs, the real process) reaches its engine over
 * varlink: it starts the service on demand when nothing listens, a second bridge shares it, the
 * engine's events reach the page as change notifications, and an engine it cannot reach is said in
 * a `failed` notification before the bridge exits.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LineSplitter } from '../../src/bridge/json-lines.js';
import type { BridgeMessage } from '../../src/bridge/protocol.js';
import { busyboxEnv, repo, type SelkieEnv, stopServicesOf } from '../helpers/selkie-cli.js';

const bridgeScript = path.join(repo, 'dist', 'bridge', 'selkie-bridge.cjs');

interface BridgeProc {
  child: ChildProcessWithoutNullStreams;
  out: BridgeMessage[];
  stderr: () => string;
  exited: Promise<number | null>;
  send(o: unknown): void;
  waitFor(pred: (m: BridgeMessage) => boolean, timeoutMs?: number): Promise<BridgeMessage>;
  call(method: string, params?: unknown): Promise<BridgeMessage>;
}

const bridges: BridgeProc[] = [];
let nextId = 1;

function startBridge(args: string[]): BridgeProc {
  const child = spawn(process.execPath, [bridgeScript, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  const out: BridgeMessage[] = [];
  const splitter = new LineSplitter();
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => splitter.push(d).forEach((l) => out.push(JSON.parse(l) as BridgeMessage)));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const b: BridgeProc = {
    child,
    out,
    stderr: () => err,
    exited,
    send: (o) => child.stdin.write(`${JSON.stringify(o)}\n`),
    async waitFor(pred, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const m = out.find(pred);
        if (m) return m;
        if (Date.now() > deadline) throw new Error(`no such message from the bridge; got ${JSON.stringify(out)}; stderr: ${err}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    call(method, params = {}) {
      const id = nextId++;
      b.send({ id, method, params });
      return b.waitFor((m) => 'id' in m && m.id === id && ('result' in m || 'error' in m));
    },
  };
  bridges.push(b);
  return b;
}

async function stopBridge(b: BridgeProc): Promise<number | null> {
  b.child.stdin.end();
  return b.exited;
}

let s: SelkieEnv;

beforeAll(async () => {
  s = await busyboxEnv();
});

afterAll(async () => {
  for (const b of bridges) if (b.child.exitCode === null) b.child.kill('SIGKILL');
  await stopServicesOf(path.dirname(s.runroot));
  await s.cleanup();
});

describe('the Cockpit bridge over varlink', () => {
  it('starts the engine service on demand, lists through it, and a second bridge shares it', async () => {
    const sock = path.join(s.runroot, 'io.podman');
    expect(fs.existsSync(sock)).toBe(false);
    const b1 = startBridge(['--root', s.root, '--runroot', s.runroot, '--service-timeout', '5']);
    const ready = await b1.waitFor((m) => 'notify' in m && m.notify === 'ready');
    expect(ready).toMatchObject({ params: { uid: 0, engine: { url: `unix://${sock}`, uid: 0, user: 'root' }, changeSource: 'events' } });
    expect(fs.statSync(sock).isSocket()).toBe(true);

    const created = await s.run(['create', '--name', 'via-cli', 'localhost/busybox', 'true']);
    expect(created.code).toBe(0);
    const list = await b1.call('containers.list', { all: true });
    expect('result' in list && (list.result as { Names: string[] }[]).map((c) => c.Names[0])).toEqual(['via-cli']);

    const b2 = startBridge(['--root', s.root, '--runroot', s.runroot]);
    await b2.waitFor((m) => 'notify' in m && m.notify === 'ready');
    expect(b2.stderr()).not.toContain('started the varlink service');
    const images = await b2.call('images.list');
    expect('result' in images && JSON.stringify(images.result)).toContain('localhost/busybox');
    expect(await stopBridge(b2)).toBe(0);
    expect(await stopBridge(b1)).toBe(0);
  });

  it("passes the engine's events on: a container started from a terminal refreshes the page's lists", async () => {
    const b = startBridge(['--root', s.root, '--runroot', s.runroot]);
    await b.waitFor((m) => 'notify' in m && m.notify === 'ready');
    const r = await s.run(['run', '-d', '--name', 'evented', 'localhost/busybox', 'sleep', '30']);
    expect(r.code).toBe(0);
    const changed = await b.waitFor((m) => 'notify' in m && m.notify === 'changed' && m.params.source === 'events');
    expect(changed).toMatchObject({ params: { scopes: expect.arrayContaining(['containers']) } });
    const stop = await b.call('containers.remove', { name: 'evented', force: true });
    expect(stop).toMatchObject({ result: null });
    const gone = await s.run(['container', 'exists', 'evented']);
    expect(gone.code).toBe(1);
    expect(await stopBridge(b)).toBe(0);
  });

  it('engine errors come back as the engine said them', async () => {
    const b = startBridge(['--root', s.root, '--runroot', s.runroot]);
    const r = await b.call('containers.inspect', { name: 'no-such-container' });
    expect(r).toMatchObject({ error: { kind: 'not-found', message: expect.stringContaining('no-such-container') } });
    expect(await stopBridge(b)).toBe(0);
  });

  it('an engine it cannot reach is announced as failed, naming the address, and the bridge exits 1', async () => {
    const b = startBridge(['--url', 'unix:///nonexistent/selkie.sock']);
    const failed = await b.waitFor((m) => 'notify' in m && m.notify === 'failed');
    expect(failed).toMatchObject({ params: { kind: 'runtime', message: expect.stringContaining('/nonexistent/selkie.sock') } });
    expect(await b.exited).toBe(1);
    expect(b.out.some((m) => 'notify' in m && m.notify === 'ready')).toBe(false);
  });

  it('a service that cannot start is announced as failed with the reason', async () => {
    const b = startBridge(['--root', s.root, '--runroot', '/etc/passwd/run']);
    const failed = await b.waitFor((m) => 'notify' in m && m.notify === 'failed');
    expect(failed).toMatchObject({ params: { message: expect.stringMatching(/passwd/) } });
    expect(await b.exited).toBe(1);
  });
});
