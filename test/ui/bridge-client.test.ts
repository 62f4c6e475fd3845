import { afterEach, describe, expect, it } from 'vitest';
import { SelkieError } from '../../src/engine/errors.js';
import { BridgeCallError, type BridgeClient, type ConnectionStatus } from '../../src/ui/bridge-client.js';
import { connectedClient } from './bridge-harness.js';
import { fakeEngine } from './fake-engine.js';

const clients: BridgeClient[] = [];
afterEach(() => clients.splice(0).forEach((c) => c.close()));
const connect = (...a: Parameters<typeof connectedClient>) => {
  const c = connectedClient(...a);
  clients.push(c.client);
  return c;
};
const until = async (pred: () => boolean, ms = 3000) => {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('bridge client ↔ server', () => {
  it('connects, learns the hello, and resolves calls with results', async () => {
    const { client } = connect();
    await until(() => client.status.state === 'connected');
    expect(client.status).toMatchObject({ state: 'connected', hello: { defaultCapabilities: ['CAP_CHOWN', 'CAP_KILL'] } });
    const list = await client.call<{ Names: string[] }[]>('containers.list');
    expect(list.map((c) => c.Names[0])).toEqual(['web']);
  });

  it('rejects with a BridgeCallError carrying the engine error kind and hint', async () => {
    const { client } = connect();
    const e = await client.call('containers.inspect', { name: 'ghost' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(BridgeCallError);
    expect(e).toMatchObject({ kind: 'not-found', message: 'container "ghost" not found', hint: 'list containers with selkie ps -a' });
  });

  it('hears the scopes an action changed', async () => {
    const { client } = connect();
    await until(() => client.status.state === 'connected');
    const heard: string[][] = [];
    client.onChange((s) => heard.push(s));
    await client.call('images.pull', { reference: 'x' }, { onData: () => undefined });
    await until(() => heard.length > 0);
    expect(heard).toEqual([['images']]);
  });

  it('passes partial data to onData and cancels a stream through its AbortSignal', async () => {
    const fake = fakeEngine();
    fake.logLines.push({ stream: 'stdout', time: 't', text: 'line 1', partial: false });
    const { client } = connect(fake);
    const abort = new AbortController();
    const seen: unknown[] = [];
    const done = client.call('containers.logs', { name: 'web', follow: true }, { signal: abort.signal, onData: (d) => seen.push(...(d as unknown[])) });
    await until(() => seen.length === 1);
    abort.abort();
    expect(await done).toEqual({ lines: 1 });
  });

  it('when the bridge dies: open calls fail naming the loss, the status says so, and it reconnects', async () => {
    const fake = fakeEngine();
    const c = connect(fake);
    await until(() => c.client.status.state === 'connected');
    const statuses: ConnectionStatus['state'][] = [];
    c.client.onStatus((s) => statuses.push(s.state));
    const pending = c.client.call('containers.logs', { name: 'web', follow: true });
    await until(() => fake.calls.some((x) => x.method === 'containers.logs'));
    c.kill('selkie-bridge: exit status 1');
    const e = await pending.catch((x: unknown) => x);
    expect(e).toMatchObject({ kind: 'disconnected' });
    expect((e as Error).message).toContain('Lost the connection to the Selkie engine: selkie-bridge: exit status 1');
    expect(c.client.status).toMatchObject({ state: 'disconnected', retryInMs: 500 });
    await expect(c.client.call('containers.list')).rejects.toMatchObject({ kind: 'disconnected' });
    await until(() => c.client.status.state === 'connected');
    expect(statuses).toEqual(['disconnected', 'connecting', 'connected']);
    expect(c.connections()).toBe(2);
    expect(await c.client.call('ping')).toBe('pong');
  });

  it('asks for every list again after reconnecting', async () => {
    const c = connect();
    await until(() => c.client.status.state === 'connected');
    const heard: string[][] = [];
    c.client.onChange((s) => heard.push(s));
    c.kill('gone');
    await until(() => heard.length > 0);
    expect(heard[0]).toEqual(['containers', 'pods', 'images']);
  });

  it('keeps SelkieError messages of failed actions intact', async () => {
    const fake = fakeEngine();
    fake.failures.set('containers.start', new SelkieError('runtime', 'container "web": runc create failed: no such file', { hint: 'check the command' }));
    const { client } = connect(fake);
    await expect(client.call('containers.start', { name: 'web' })).rejects.toMatchObject({ kind: 'runtime', message: 'container "web": runc create failed: no such file', hint: 'check the command' });
  });
});
