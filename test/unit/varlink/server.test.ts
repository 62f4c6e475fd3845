import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VarlinkClient } from '../../../src/engine/varlink/client.js';
import { encodeMessage, MessageDecoder } from '../../../src/engine/varlink/codec.js';
import { parseInterface } from '../../../src/engine/varlink/idl-parser.js';
import { orgVarlinkService } from '../../../src/engine/varlink/org-varlink-service.js';
import { VarlinkServer } from '../../../src/engine/varlink/server.js';
import { upgradeReply, VarlinkService, type CallInfo } from '../../../src/engine/varlink/service.js';
import { isVarlinkError, VarlinkError } from '../../../src/engine/varlink/varlink-error.js';

const testIdl = `# A test interface.
interface org.example.test

type Item (n: int, label: ?string)

method Echo(text: string, delayMs: int) -> (text: string)
method Count(upTo: int) -> (n: int)
method Watch() -> (n: int)
method Notify(text: string) -> ()
method Shell(greeting: string) -> (ready: bool)
method Fail(kind: string) -> ()
method BadReply() -> (n: int)
method Items(items: []Item) -> (total: int)
method Unwritten() -> ()

error NotThere (name: string)
`;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'selkie-varlink-'));
const socketPath = path.join(dir, 'test.sock');
const address = `unix:${socketPath}`;
const notified: string[] = [];
let server: VarlinkServer;
let watchAborted = false;

beforeAll(async () => {
  const service = new VarlinkService({ vendor: 'Selkie', product: 'test', version: '1', url: 'https://example.org' });
  service.addInterface(orgVarlinkService(service));
  service.addInterface({
    definition: parseInterface(testIdl),
    requiresMore: new Set(['Watch']),
    methods: {
      Echo: async (p: { text: string; delayMs: number }) => {
        await new Promise((r) => setTimeout(r, p.delayMs));
        return { text: p.text };
      },
      Count: async function* (p: { upTo: number }) {
        for (let n = 1; n <= p.upTo; n++) yield { n };
      },
      Watch: async function* (_p: unknown, call: CallInfo) {
        for (let n = 0; !call.signal.aborted; n++) {
          yield { n };
          await new Promise((r) => setTimeout(r, 5));
        }
        watchAborted = true;
      },
      Notify: (p: { text: string }) => {
        notified.push(p.text);
        return {};
      },
      Shell: (p: { greeting: string }) =>
        upgradeReply({ ready: true }, async (socket) => {
          socket.write(`${p.greeting}\n`);
          for await (const chunk of socket) {
            const text = (chunk as Buffer).toString();
            socket.write(text.toUpperCase());
            if (text.includes('bye')) break;
          }
        }),
      Fail: (p: { kind: string }) => {
        if (p.kind === 'declared') throw new VarlinkError('org.example.test.NotThere', { name: 'x', extra: 'dropped' });
        throw new Error('boom');
      },
      BadReply: () => ({ n: 'not a number' }),
      Items: (p: { items: { n: number }[] }) => ({ total: p.items.reduce((a, i) => a + i.n, 0) }),
    },
    mapError: (e) => new VarlinkError('org.example.test.NotThere', { name: (e as Error).message }),
  });
  server = new VarlinkServer(service);
  await server.listen({ kind: 'unix', path: socketPath });
});

afterAll(async () => {
  await server.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Send raw bytes, collect `count` reply messages (or until the server closes). */
async function raw(bytes: Buffer | string, count: number): Promise<{ replies: Record<string, unknown>[]; closed: boolean }> {
  const socket = net.connect(socketPath);
  const decoder = new MessageDecoder();
  const replies: Record<string, unknown>[] = [];
  return new Promise((resolve) => {
    const done = (closed: boolean) => {
      socket.destroy();
      resolve({ replies, closed });
    };
    socket.on('data', (d) => {
      decoder.push(d);
      for (let m = decoder.next(); m; m = decoder.next()) replies.push(m);
      if (replies.length >= count) done(false);
    });
    socket.on('close', () => done(true));
    socket.on('error', () => done(true));
    socket.write(bytes);
  });
}

async function expectError(p: Promise<unknown>, error: string, parameters?: Record<string, unknown>): Promise<void> {
  const e = await p.then(() => undefined, (x: unknown) => x);
  expect(isVarlinkError(e), String(e)).toBe(true);
  if (!isVarlinkError(e)) return;
  expect(e.error).toBe(error);
  if (parameters) expect(e.parameters).toEqual(parameters);
}

describe('varlink server', () => {
  it('serves org.varlink.service GetInfo and GetInterfaceDescription', async () => {
    const c = await VarlinkClient.connect(address);
    expect(await c.call('org.varlink.service.GetInfo')).toEqual({
      vendor: 'Selkie', product: 'test', version: '1', url: 'https://example.org', interfaces: ['org.varlink.service', 'org.example.test'],
    });
    expect(await c.call('org.varlink.service.GetInterfaceDescription', { interface: 'org.example.test' })).toEqual({ description: testIdl });
    const desc = (await c.call('org.varlink.service.GetInterfaceDescription', { interface: 'org.varlink.service' })).description as string;
    expect(parseInterface(desc).methods.has('GetInfo')).toBe(true);
    await expectError(c.call('org.varlink.service.GetInterfaceDescription', { interface: 'no.such' }), 'org.varlink.service.InterfaceNotFound', { interface: 'no.such' });
    c.close();
  });

  it('answers pipelined calls in order, even when an earlier one is slower', async () => {
    const c = await VarlinkClient.connect(address);
    const replies = await Promise.all([
      c.call('org.example.test.Echo', { text: 'first', delayMs: 60 }),
      c.call('org.example.test.Echo', { text: 'second', delayMs: 0 }),
      c.call('org.example.test.Echo', { text: 'third', delayMs: 10 }),
    ]);
    expect(replies.map((r) => r.text)).toEqual(['first', 'second', 'third']);
    // The same on the wire: three requests in one write.
    const wire = Buffer.concat([
      encodeMessage({ method: 'org.example.test.Echo', parameters: { text: 'a', delayMs: 30 } }),
      encodeMessage({ method: 'org.example.test.Echo', parameters: { text: 'b', delayMs: 0 } }),
      encodeMessage({ method: 'org.example.test.Nope' }),
    ]);
    const r = await raw(wire, 3);
    expect(r.replies).toEqual([
      { parameters: { text: 'a' } },
      { parameters: { text: 'b' } },
      { error: 'org.varlink.service.MethodNotFound', parameters: { method: 'org.example.test.Nope' } },
    ]);
    c.close();
  });

  it('sends no reply to a oneway call but runs it', async () => {
    const wire = Buffer.concat([
      encodeMessage({ method: 'org.example.test.Notify', parameters: { text: 'quiet' }, oneway: true }),
      encodeMessage({ method: 'org.example.test.Echo', parameters: { text: 'after' } }),
    ]);
    const r = await raw(wire, 1);
    expect(r.replies).toEqual([{ parameters: { text: 'after' } }]);
    expect(notified).toContain('quiet');
    const c = await VarlinkClient.connect(address);
    await c.oneway('org.example.test.Notify', { text: 'client' });
    expect(await c.call('org.example.test.Echo', { text: 'x' })).toEqual({ text: 'x' });
    expect(notified).toContain('client');
    c.close();
  });

  it('streams replies with continues only when more was asked', async () => {
    const more = await raw(encodeMessage({ method: 'org.example.test.Count', parameters: { upTo: 3 }, more: true }), 3);
    expect(more.replies).toEqual([
      { parameters: { n: 1 }, continues: true },
      { parameters: { n: 2 }, continues: true },
      { parameters: { n: 3 } },
    ]);
    const once = await raw(encodeMessage({ method: 'org.example.test.Count', parameters: { upTo: 3 } }), 1);
    expect(once.replies).toEqual([{ parameters: { n: 3 } }]);
    const c = await VarlinkClient.connect(address);
    const got: unknown[] = [];
    for await (const p of c.callMore('org.example.test.Count', { upTo: 4 })) got.push(p.n);
    expect(got).toEqual([1, 2, 3, 4]);
    await expectError(c.call('org.example.test.Watch'), 'org.varlink.service.ExpectedMore');
    c.close();
  });

  it('stops a streaming method when its client disconnects, and keeps serving', async () => {
    watchAborted = false;
    const c = await VarlinkClient.connect(address);
    const seen: unknown[] = [];
    for await (const p of c.callMore('org.example.test.Watch')) {
      seen.push(p.n);
      if (seen.length === 3) break;
    }
    c.close();
    await expect.poll(() => watchAborted, { timeout: 2000 }).toBe(true);
    expect(seen).toEqual([0, 1, 2]);
    const again = await VarlinkClient.connect(address);
    expect(await again.call('org.example.test.Echo', { text: 'still here' })).toEqual({ text: 'still here' });
    again.close();
  });

  it('turns the connection into a raw stream after an upgrade reply', async () => {
    const c = await VarlinkClient.connect(address);
    const { parameters, socket } = await c.upgrade('org.example.test.Shell', { greeting: 'hello' });
    expect(parameters).toEqual({ ready: true });
    let text = '';
    socket.on('data', (d: Buffer) => (text += d.toString()));
    socket.write('ping\0with nul ');
    socket.write('bye');
    await new Promise((r) => socket.once('end', r));
    expect(text).toBe('hello\nPING\0WITH NUL BYE');
    // Raw bytes sent right behind the upgrade request reach the method, not the varlink decoder.
    const plain = net.connect(socketPath);
    const chunks: Buffer[] = [];
    plain.on('data', (d: Buffer) => chunks.push(d));
    plain.write(Buffer.concat([encodeMessage({ method: 'org.example.test.Shell', parameters: { greeting: 'hi' }, upgrade: true }), Buffer.from('x\0bye')]));
    await new Promise((r) => plain.once('end', r));
    plain.destroy();
    expect(Buffer.concat(chunks).toString()).toBe('{"parameters":{"ready":true}}\0hi\nX\0BYE');
    // The client's connection is no longer varlink.
    await expect(c.call('org.example.test.Echo')).rejects.toThrow(/was upgraded/);
    c.close();
  });

  it('answers the protocol errors', async () => {
    const c = await VarlinkClient.connect(address);
    await expectError(c.call('no.such.Method'), 'org.varlink.service.InterfaceNotFound', { interface: 'no.such' });
    await expectError(c.call('org.example.test.Missing'), 'org.varlink.service.MethodNotFound', { method: 'org.example.test.Missing' });
    await expectError(c.call('org.example.test.Unwritten'), 'org.varlink.service.MethodNotImplemented', { method: 'org.example.test.Unwritten' });
    await expectError(c.call('org.example.test.Echo', { text: 5 }), 'org.varlink.service.InvalidParameter', { parameter: 'text' });
    await expectError(c.call('org.example.test.Items', { items: [{ n: 1 }, { n: 'x' }] }), 'org.varlink.service.InvalidParameter', { parameter: 'items[1].n' });
    await expectError(c.call('org.example.test.Shell', { greeting: 'x' }), 'org.varlink.service.InvalidParameter', { parameter: 'upgrade' });
    await expectError(c.call('org.example.test.Fail', { kind: 'declared' }), 'org.example.test.NotThere', { name: 'x' });
    await expectError(c.call('org.example.test.Fail', { kind: 'thrown' }), 'org.example.test.NotThere', { name: 'boom' });
    await expectError(c.call('org.example.test.BadReply'), 'io.selkie.InvalidReply');
    expect(await c.call('org.example.test.Items', { items: [{ n: 2, unknown: true }, { n: 3, label: null }], extra: 1 })).toEqual({ total: 5 });
    // Lenient like Podman 1.9: a missing parameter is its zero value.
    expect(await c.call('org.example.test.Echo', {})).toEqual({ text: '' });
    c.close();
    const r = await raw(encodeMessage({ parameters: {} }), 1);
    expect(r.replies).toEqual([{ error: 'org.varlink.service.InvalidParameter', parameters: { parameter: 'method' } }]);
    const p = await raw(encodeMessage({ method: 'org.example.test.Echo', parameters: [1] }), 1);
    expect(p.replies).toEqual([{ error: 'org.varlink.service.InvalidParameter', parameters: { parameter: 'parameters' } }]);
  });

  it('closes a connection that sends garbage or an oversized message and keeps serving others', async () => {
    const garbage = await raw('this is not json\0', 1);
    expect(garbage).toEqual({ replies: [], closed: true });
    const partialThenClose = net.connect(socketPath);
    partialThenClose.write('{"method": "org.example.te');
    partialThenClose.end();
    const big = net.connect(socketPath);
    const closed = new Promise((r) => big.on('close', r));
    big.on('error', () => undefined);
    const chunk = Buffer.alloc(1024 * 1024, 0x20);
    for (let i = 0; i < 20 && !big.destroyed; i++) big.write(chunk);
    await closed;
    const c = await VarlinkClient.connect(address);
    expect(await c.call('org.example.test.Echo', { text: 'ok' })).toEqual({ text: 'ok' });
    c.close();
  });

  it('reports idle after the timeout with no connections, not while one is open', async () => {
    const service = new VarlinkService({ vendor: 'v', product: 'p', version: '1', url: '' });
    service.addInterface(orgVarlinkService(service));
    let idle = 0;
    const s = new VarlinkServer(service, { idleTimeoutMs: 150, onIdle: () => idle++ });
    const p = path.join(dir, 'idle.sock');
    await s.listen({ kind: 'unix', path: p });
    expect(fs.statSync(p).mode & 0o777).toBe(0o600);
    const c = await VarlinkClient.connect(`unix:${p}`);
    await new Promise((r) => setTimeout(r, 300));
    expect(idle).toBe(0);
    c.close();
    await expect.poll(() => idle, { timeout: 2000 }).toBe(1);
    await s.close();
    expect(fs.existsSync(p)).toBe(false);
  });

  it('listens on TCP', async () => {
    const service = new VarlinkService({ vendor: 'v', product: 'tcp', version: '1', url: '' });
    service.addInterface(orgVarlinkService(service));
    const s = new VarlinkServer(service);
    await s.listen({ kind: 'tcp', host: '127.0.0.1', port: 0 });
    const c = await VarlinkClient.connect(`tcp:127.0.0.1:${s.tcpPort()}`);
    expect(await c.call('org.varlink.service.GetInfo')).toMatchObject({ product: 'tcp' });
    c.close();
    await s.close();
  });

  it('rejects the calls of a client whose server goes away', async () => {
    const service = new VarlinkService({ vendor: '', product: '', version: '', url: '' });
    service.addInterface({ definition: parseInterface(testIdl), methods: { Echo: () => new Promise(() => undefined) } });
    const s = new VarlinkServer(service);
    const p = path.join(dir, 'going.sock');
    await s.listen({ kind: 'unix', path: p });
    const c = await VarlinkClient.connect(`unix:${p}`);
    const pending = c.call('org.example.test.Echo', { text: 'never answered' });
    await new Promise((r) => setTimeout(r, 50));
    await s.close();
    await expect(pending).rejects.toThrow(`varlink connection to unix:${p} closed before the reply`);
    await expect(c.call('org.example.test.Echo')).rejects.toThrow(/closed before the reply/);
    await expect(VarlinkClient.connect(`unix:${p}`)).rejects.toThrow(/cannot connect to the varlink service at unix:.*going.sock/);
  });

  it('refuses to take over a socket another server listens on', async () => {
    const s = new VarlinkServer(new VarlinkService({ vendor: '', product: '', version: '', url: '' }));
    await expect(s.listen({ kind: 'unix', path: socketPath })).rejects.toThrow(/another service is listening there/);
  });
});
