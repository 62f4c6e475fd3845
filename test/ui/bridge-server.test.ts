import { afterEach, describe, expect, it } from 'vitest';
import { SelkieError } from '../../src/engine/errors.js';
import { LineSplitter } from '../../src/bridge/json-lines.js';
import { scopesOfEvent } from '../../src/bridge/change-feed.js';
import type { EngineEvent, EventsOptions } from '../../src/engine/types/events.js';
import { fakeEngine } from './fake-engine.js';
import { rawBridge } from './bridge-harness.js';

const servers: { close(): void }[] = [];
afterEach(() => servers.splice(0).forEach((s) => s.close()));
const bridge = (...a: Parameters<typeof rawBridge>) => {
  const b = rawBridge(...a);
  servers.push(b.server);
  return b;
};

describe('JSON lines', () => {
  it('splits chunks at newlines, keeps partial lines, drops blank ones', () => {
    const s = new LineSplitter();
    expect(s.push('{"a":1}\n{"b"')).toEqual(['{"a":1}']);
    expect(s.push(':2}\r\n\n{"c":3}')).toEqual(['{"b":2}']);
    expect(s.flush()).toEqual(['{"c":3}']);
    expect(s.flush()).toEqual([]);
  });
});

describe('bridge server', () => {
  it('announces itself first: protocol, default capabilities, where changes come from', () => {
    const b = bridge();
    expect(b.out[0]).toEqual({ notify: 'ready', params: { protocol: 1, version: '0.0.0-test', uid: 0, defaultCapabilities: ['CAP_CHOWN', 'CAP_KILL'], changeSource: 'action' } });
  });

  it('answers a call with the engine result, and passes the params through', async () => {
    const b = bridge();
    b.send({ id: 7, method: 'containers.list', params: { all: false } });
    const r = await b.response(7);
    expect(r).toMatchObject({ id: 7, result: [{ Names: ['web'] }] });
    expect(b.fake.calls).toContainEqual({ method: 'containers.list', args: [{ all: false }] });
  });

  it('reassembles a request split over several chunks', async () => {
    const b = bridge();
    const line = JSON.stringify({ id: 1, method: 'containers.top', params: { name: 'web', descriptors: ['user', 'huser', 'pid', 'hpid', 'capeff'] } });
    b.server.receive(line.slice(0, 10));
    b.server.receive(`${line.slice(10)}\n`);
    expect(await b.response(1)).toMatchObject({ result: { titles: ['USER', 'PID'] } });
    expect(b.fake.calls.find((c) => c.method === 'containers.top')?.args).toEqual(['web', ['user', 'huser', 'pid', 'hpid', 'capeff']]);
  });

  it('turns a SelkieError into kind, message and hint', async () => {
    const b = bridge();
    b.send({ id: 2, method: 'containers.inspect', params: { name: 'nope' } });
    expect(await b.response(2)).toEqual({ id: 2, error: { kind: 'not-found', message: 'container "nope" not found', hint: 'list containers with selkie ps -a' } });
  });

  it('refuses unknown methods, bad params and unknown create options with one-line errors', async () => {
    const b = bridge();
    b.send({ id: 1, method: 'containers.explode' });
    b.send({ id: 2, method: 'containers.stop', params: { name: 5 } });
    b.send({ id: 3, method: 'containers.create', params: { options: { image: 'x', hostPid: true } } });
    b.send({ id: 4, method: 'toString' });
    expect(await b.response(1)).toMatchObject({ error: { kind: 'usage', message: 'unknown bridge method "containers.explode"' } });
    expect(await b.response(2)).toMatchObject({ error: { kind: 'invalid', message: 'bridge request: "name" must be a non-empty string' } });
    expect(await b.response(3)).toMatchObject({ error: { kind: 'invalid', message: 'bridge request: unknown container option "hostPid"' } });
    expect(await b.response(4)).toMatchObject({ error: { kind: 'usage' } });
    expect(b.fake.calls.filter((c) => c.method === 'containers.stop' || c.method === 'containers.create')).toEqual([]);
  });

  it('ignores lines that are not requests', async () => {
    const b = bridge();
    b.server.receive('not json\n{"method":"ping"}\n');
    b.send({ id: 3, method: 'ping' });
    expect(await b.response(3)).toEqual({ id: 3, result: 'pong' });
    expect(b.out.filter((m) => 'id' in m)).toHaveLength(1);
  });

  it('announces what an action changed, once for a burst, also when it failed', async () => {
    const fake = fakeEngine();
    fake.failures.set('containers.stop', new SelkieError('conflict', 'container "web" is not running'));
    const b = bridge(fake);
    b.send({ id: 1, method: 'containers.start', params: { name: 'web' } });
    b.send({ id: 2, method: 'containers.stop', params: { name: 'web' } });
    await b.response(2);
    const changed = await b.waitFor((m) => 'notify' in m && m.notify === 'changed');
    expect(changed).toEqual({ notify: 'changed', params: { scopes: ['containers', 'pods'], source: 'action' } });
    await new Promise((r) => setTimeout(r, 60));
    expect(b.out.filter((m) => 'notify' in m && m.notify === 'changed')).toHaveLength(1);
    // Reads change nothing.
    b.send({ id: 3, method: 'containers.list' });
    await b.response(3);
    await new Promise((r) => setTimeout(r, 60));
    expect(b.out.filter((m) => 'notify' in m && m.notify === 'changed')).toHaveLength(1);
  });

  it('creates and starts a container in one call', async () => {
    const b = bridge();
    b.send({ id: 1, method: 'containers.create', params: { options: { image: 'localhost/busybox', name: 'c1', command: ['top'], capAdd: ['CAP_NET_ADMIN'] }, start: true } });
    expect(await b.response(1)).toMatchObject({ result: { id: 'c1-id', name: 'c1' } });
    expect(b.fake.calls.map((c) => c.method)).toEqual(['containers.create', 'containers.start']);
    expect(b.fake.calls[0].args[0]).toEqual({ image: 'localhost/busybox', name: 'c1', command: ['top'], capAdd: ['CAP_NET_ADMIN'] });
  });

  it('streams log lines as data before the response, and a cancel ends a following read', async () => {
    const fake = fakeEngine();
    fake.logLines.push({ stream: 'stdout', time: 't', text: 'hello', partial: false }, { stream: 'stderr', time: 't', text: 'world', partial: false });
    const b = bridge(fake);
    b.send({ id: 5, method: 'containers.logs', params: { name: 'web', follow: true, tail: 10 } });
    const data = await b.waitFor((m) => 'data' in m && m.id === 5);
    expect((data as { data: { text: string }[] }).data.map((l) => l.text)).toEqual(['hello', 'world']);
    expect(b.out.some((m) => 'result' in m && m.id === 5)).toBe(false);
    b.send({ id: 6, method: 'cancel', params: { id: 5 } });
    expect(await b.response(6)).toEqual({ id: 6, result: { cancelled: true } });
    expect(await b.response(5)).toEqual({ id: 5, result: { lines: 2 } });
    expect(fake.calls.find((c) => c.method === 'containers.logs')?.args).toEqual(['web', { tail: 10, follow: true }]);
  });

  it('sends pull progress as data, then the image ID', async () => {
    const b = bridge();
    b.send({ id: 1, method: 'images.pull', params: { reference: 'registry.test/app' } });
    expect(await b.response(1)).toEqual({ id: 1, result: { id: 'sha256:pulled' } });
    const data = b.out.filter((m) => 'data' in m).map((m) => (m as { data: { kind: string } }).data.kind);
    expect(data).toEqual(['resolving', 'blob']);
  });

  it('checks an image: local, else in a registry, else a not-found error naming it', async () => {
    const b = bridge();
    b.send({ id: 1, method: 'images.check', params: { reference: 'localhost/busybox:latest' } });
    b.send({ id: 2, method: 'images.check', params: { reference: 'no/such:image' } });
    expect(await b.response(1)).toMatchObject({ result: { local: true } });
    const r = await b.response(2);
    expect(r).toMatchObject({ error: { kind: 'not-found' } });
    expect((r as { error: { message: string } }).error.message).toContain('"no/such:image"');
  });

  it('creates a pod with its containers joined to it, then starts the pod', async () => {
    const b = bridge();
    b.send({ id: 1, method: 'pods.create', params: { options: { name: 'p', publish: ['8080:80'], share: ['net', 'ipc'] }, containers: [{ image: 'busybox', name: 'a' }, { image: 'busybox', name: 'b', env: ['X=1'] }] } });
    expect(await b.response(1)).toMatchObject({ result: { id: 'pod1', name: 'p', containers: [{ name: 'a' }, { name: 'b' }] } });
    expect(b.fake.calls.map((c) => [c.method, c.args[0]])).toEqual([
      ['pods.create', { name: 'p', publish: ['8080:80'], share: ['net', 'ipc'] }],
      ['containers.create', { image: 'busybox', name: 'a', pod: 'pod1' }],
      ['containers.create', { image: 'busybox', name: 'b', env: ['X=1'], pod: 'pod1' }],
      ['pods.start', 'pod1'],
    ]);
  });

  it('removes the pod again when one of its containers cannot be created', async () => {
    const fake = fakeEngine();
    fake.failures.set('containers.create', new SelkieError('not-found', 'image "nope" not found'));
    const b = bridge(fake);
    b.send({ id: 1, method: 'pods.create', params: { options: { name: 'p' }, containers: [{ image: 'nope' }] } });
    expect(await b.response(1)).toMatchObject({ error: { kind: 'not-found', message: 'image "nope" not found' } });
    expect(fake.calls.at(-1)).toEqual({ method: 'pods.remove', args: ['pod1', { force: true, timeout: 0 }] });
  });

  it('reports a pod action that failed for some containers as an error naming them', async () => {
    const fake = fakeEngine();
    (fake.engine.pods as unknown as { stop: unknown }).stop = async () => ({ id: 'p', errors: [{ container: 'a', message: 'timed out' }] });
    const b = bridge(fake);
    b.send({ id: 1, method: 'pods.stop', params: { name: 'p' } });
    expect(await b.response(1)).toMatchObject({ error: { kind: 'runtime', message: 'could not stop pod "p": a: timed out' } });
  });

  it('follows the engine event stream when there is one: outside changes reach the page', async () => {
    const fake = fakeEngine();
    const seen: EventsOptions[] = [];
    let push: (e: EngineEvent) => void = () => undefined;
    (fake.engine.system as unknown as { events: unknown }).events = async function* (opts: EventsOptions) {
      seen.push(opts);
      while (!opts.signal?.aborted) {
        const next = await new Promise<EngineEvent | undefined>((resolve) => {
          push = resolve;
          opts.signal?.addEventListener('abort', () => resolve(undefined), { once: true });
        });
        if (next) yield next;
      }
    };
    const b = bridge(fake);
    expect(b.out[0]).toMatchObject({ notify: 'ready', params: { changeSource: 'events' } });
    await new Promise((r) => setTimeout(r, 10));
    expect(seen[0]).toMatchObject({ stream: true });
    push({ ID: 'x', Name: 'web', Status: 'died', Time: '', TimeNano: 0, Type: 'container' });
    expect(await b.waitFor((m) => 'notify' in m && m.notify === 'changed')).toEqual({ notify: 'changed', params: { scopes: ['containers', 'pods'], source: 'events' } });
    b.server.close();
    expect(seen[0].signal?.aborted).toBe(true);
  });

  it('maps event types to the lists they change', () => {
    expect(scopesOfEvent({ Type: 'pod' })).toEqual(['containers', 'pods']);
    expect(scopesOfEvent({ Type: 'image' })).toEqual(['images']);
    expect(scopesOfEvent({ Type: 'volume' })).toEqual([]);
  });
});
