// @vitest-environment happy-dom
/**
 * The system engine and the user's engine side by side: the page (App) rendered for real in
 * happy-dom over two fake bridges — owner column and filter (kept in the URL), actions and details
 * going to the owning engine, the empty state of an engine whose service is not running, the owner
 * choice of the create dialog; and which bridges the page opens (root user, duplicates by uid).
 */
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Cockpit } from '../../src/ui/cockpit.js';
import { App } from '../../src/ui/app.js';
import type { TransportFactory } from '../../src/ui/bridge-client.js';
import { EngineSet, openEngines, type Owner } from '../../src/ui/engines/engine-set.js';
import { fakeTransport } from './bridge-harness.js';
import { container, type FakeEngine, fakeEngine, inspectOf } from './fake-engine.js';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let root: Root | undefined;
const sets: EngineSet[] = [];
let location: { options: Record<string, string> };

/** Just enough of cockpit.js for the page: location options (the URL state), gettext. */
function installCockpit(options: Record<string, string> = {}) {
  location = { options };
  const cockpit = {
    location: {
      path: [],
      get options() {
        return location.options;
      },
      go: () => undefined,
      replace: (_p: unknown, o: Record<string, string> = {}) => (location.options = o),
    },
    gettext: (t: string) => t,
    ngettext: (s: string, p: string, n: number) => (n === 1 ? s : p),
    format: (t: string) => t,
    addEventListener: () => undefined,
    removeEventListener: () => undefined,
    user: async () => ({ id: 1000, name: 'alice' }),
    channel: () => {
      throw new Error('no channels in this test');
    },
  };
  (window as { cockpit?: unknown }).cockpit = cockpit as unknown as Cockpit;
}

beforeEach(() => installCockpit());
afterEach(() => {
  act(() => root?.unmount());
  root = undefined;
  sets.splice(0).forEach((s) => s.close());
  delete (window as { cockpit?: unknown }).cockpit;
  document.body.innerHTML = '';
});

function twoEngines() {
  const system = fakeEngine();
  const user = fakeEngine();
  user.containers.splice(0, Infinity, container('web', { Id: 'f'.repeat(64) }), container('mine', { State: 'exited' }));
  system.images.push({ Id: 'sha256:sysimg', RepoTags: ['localhost/busybox:latest'], RepoDigests: [], Created: 1_700_000_000, Size: 2_000_000, Labels: {}, Dangling: false });
  user.images.push({ Id: 'sha256:userimg', RepoTags: ['localhost/alpine:latest'], RepoDigests: [], Created: 1_700_000_100, Size: 5_000_000, Labels: {}, Dangling: false });
  const sys = fakeTransport(system, { uid: 0, engine: { url: 'unix:///run/selkie/io.podman', uid: 0, user: 'root' } });
  const usr = fakeTransport(user, { uid: 1000, engine: { url: 'unix:///run/user/1000/selkie/io.podman', uid: 1000, user: 'alice' } });
  return { system, user, sys, usr };
}

function engineSet(entries: [Owner, TransportFactory][], userName = 'alice') {
  const set = new EngineSet();
  set.userName = userName;
  for (const [owner, factory] of entries) set.add(owner, factory);
  sets.push(set);
  return set;
}

async function renderApp(set: EngineSet) {
  const el = document.createElement('div');
  document.body.appendChild(el);
  root = createRoot(el);
  await act(async () => root!.render(<App engines={set} />));
}

const settle = async (until: () => boolean, what = 'the page did not get there') => {
  for (let i = 0; i < 300 && !until(); i++) await act(async () => new Promise((r) => setTimeout(r, 10)));
  if (!until()) throw new Error(`${what}: ${document.body.textContent?.slice(0, 400)}`);
};
const rows = () => Array.from(document.querySelectorAll<HTMLTableRowElement>('tr[data-container]'));
const rowOf = (name: string, owner: Owner) => document.querySelector<HTMLTableRowElement>(`tr[data-container="${name}"][data-owner="${owner}"]`);
const ownerCell = (r: HTMLTableRowElement) => r.querySelector('td.selkie-owner')?.textContent;
const clickEl = async (el: Element | null) => {
  if (!el) throw new Error('nothing to click');
  await act(async () => (el as HTMLElement).click());
};
const buttonNamed = (name: string) => Array.from(document.querySelectorAll('button')).find((b) => b.textContent?.trim() === name) ?? null;
const methods = (f: FakeEngine) => f.calls.map((c) => c.method);

describe('two engines side by side', () => {
  it('lists both engines’ containers with their owner, and sends each action and detail to the owning engine', async () => {
    const { system, user, sys, usr } = twoEngines();
    await renderApp(engineSet([['system', sys.factory], ['user', usr.factory]]));
    await settle(() => rows().length === 3);
    expect(rows().map((r) => [r.dataset.container, r.dataset.owner, ownerCell(r)])).toEqual([
      ['mine', 'user', 'alice'],
      ['web', 'system', 'system'],
      ['web', 'user', 'alice'],
    ]);
    expect(Array.from(document.querySelectorAll('th')).map((t) => t.textContent)).toContain('Owner');

    // Stop the user's "web": only the user's engine hears it.
    await clickEl(rowOf('web', 'user')!.querySelector('button[aria-label="Actions for container web"]'));
    await clickEl(buttonNamed('Stop'));
    await settle(() => methods(user).includes('containers.stop'));
    expect(user.calls.find((c) => c.method === 'containers.stop')?.args[0]).toBe('f'.repeat(64));
    expect(methods(system)).not.toContain('containers.stop');

    // Expand the system's "web": its details come from the system engine.
    const inspectsBefore = methods(user).filter((m) => m === 'containers.inspect').length;
    await clickEl(rowOf('web', 'system')!.querySelector('td button'));
    await settle(() => methods(system).includes('containers.inspect'));
    await settle(() => !!document.querySelector('[aria-label="Container details"]'));
    expect(methods(user).filter((m) => m === 'containers.inspect').length).toBe(inspectsBefore);
  });

  it('asks each engine for its lists once on the way to the first paint (asked early, not again when the bridge is ready)', async () => {
    const { system, user, sys, usr } = twoEngines();
    // The bridges get ready only once the page is there (as when the page's chunk loads first).
    sys.state.readyAfterMs = usr.state.readyAfterMs = 150;
    await renderApp(engineSet([['system', sys.factory], ['user', usr.factory]]));
    await settle(() => rows().length === 3);
    await act(async () => new Promise((r) => setTimeout(r, 100)));
    for (const f of [system, user]) expect(methods(f).filter((m) => m.endsWith('.list')).sort()).toEqual(['containers.list', 'images.list', 'pods.list']);
  });

  it('filters by owner, keeping the choice in the URL, and shows the images of both with their owner', async () => {
    const { sys, usr } = twoEngines();
    installCockpit({ owner: 'user' });
    await renderApp(engineSet([['system', sys.factory], ['user', usr.factory]]));
    await settle(() => rows().length === 2);
    expect(rows().every((r) => r.dataset.owner === 'user')).toBe(true);

    await clickEl(document.getElementById('owner-system'));
    await settle(() => rows().length === 1);
    expect(rowOf('web', 'system')).not.toBeNull();
    expect(location.options).toEqual({ owner: 'system' });

    await clickEl(document.getElementById('owner-all'));
    await settle(() => rows().length === 3);
    expect(location.options).toEqual({});

    await clickEl(Array.from(document.querySelectorAll('button[role="tab"]')).find((b) => b.textContent?.startsWith('Images')) ?? null);
    await settle(() => document.querySelectorAll('tr[data-image]').length === 2);
    const images = Array.from(document.querySelectorAll<HTMLTableRowElement>('tr[data-image]')).map((r) => [r.dataset.image, r.querySelector('td.selkie-owner')?.textContent]);
    expect(images).toEqual([
      ['localhost/alpine:latest', 'alice'],
      ['localhost/busybox:latest', 'system'],
    ]);
  });

  it('shows an empty state for an engine whose service is not running, keeps the other one usable, and tries again on request', async () => {
    const { sys, usr } = twoEngines();
    usr.state.fail = { kind: 'runtime', message: 'cannot start the selkie service at unix:///run/user/1000/selkie/io.podman', hint: 'see varlink-service.log there' };
    await renderApp(engineSet([['system', sys.factory], ['user', usr.factory]]));
    await settle(() => !!document.querySelector('.selkie-engine-down') && rows().length === 1);
    const down = document.querySelector('.selkie-engine-down')!;
    expect(down.getAttribute('data-owner')).toBe('user');
    expect(down.textContent).toContain('The container service of user alice is not running');
    expect(down.textContent).toContain('cannot start the selkie service at unix:///run/user/1000/selkie/io.podman: see varlink-service.log there');
    expect(down.textContent).toContain('systemctl --user start selkie-varlink.socket');
    expect(down.textContent).toContain('selkie system service --varlink');
    expect(rowOf('web', 'system')).not.toBeNull();
    // Not retried by itself: the bridge would fail the same way.
    await act(async () => new Promise((r) => setTimeout(r, 700)));
    expect(usr.state.connections).toBe(1);

    usr.state.fail = undefined;
    await clickEl(down.querySelector('button[aria-label="Try again to reach the engine of user alice"]'));
    await settle(() => rows().length === 3 && !document.querySelector('.selkie-engine-down'));
    expect(usr.state.connections).toBe(2);
  });

  it('creates a container in the engine chosen in the dialog, with its user-namespace mapping and restart policy', async () => {
    const { system, user, sys, usr } = twoEngines();
    user.localImages.add('localhost/alpine:latest');
    await renderApp(engineSet([['system', sys.factory], ['user', usr.factory]]));
    await settle(() => rows().length === 3);
    await clickEl(buttonNamed('Create container'));
    const owner = document.getElementById('create-owner') as HTMLSelectElement;
    expect(Array.from(owner.options).map((o) => [o.value, o.textContent])).toEqual([
      ['system', 'System'],
      ['user', 'alice'],
    ]);
    await act(async () => {
      owner.value = 'user';
      owner.dispatchEvent(new Event('change', { bubbles: true }));
    });
    // The image choices are the chosen engine's.
    expect(Array.from(document.querySelectorAll('#create-image-choices option')).map((o) => o.getAttribute('value'))).toEqual(['localhost/alpine:latest']);
    const type = async (id: string, value: string) => {
      const input = document.getElementById(id) as HTMLInputElement;
      await act(async () => {
        Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!.call(input, value);
        input.dispatchEvent(new Event('input', { bubbles: true }));
      });
    };
    await type('create-image', 'localhost/alpine:latest');
    await type('create-name', 'mapped');
    await type('create-uidmap', '0:100000:65536');
    const restart = document.getElementById('create-restart') as HTMLSelectElement;
    await act(async () => {
      restart.value = 'on-failure';
      restart.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await type('create-restart-retries', '3');
    await clickEl(buttonNamed('Create'));
    await settle(() => methods(user).includes('containers.create'));
    expect(user.calls.find((c) => c.method === 'containers.create')?.args[0]).toEqual({ image: 'localhost/alpine:latest', name: 'mapped', uidmap: ['0:100000:65536'], restart: 'on-failure:3' });
    expect(methods(system)).not.toContain('containers.create');
  });
});

describe('Security tab of a container of the user’s engine', () => {
  it('compares its capabilities with that engine’s default set and names who started it', async () => {
    const { user, sys, usr } = twoEngines();
    const services = user.engine.containers as unknown as Record<string, unknown>;
    services.inspect = async (name: string) => {
      const c = user.containers.find((x) => x.Id === name || x.Names[0] === name)!;
      const i = inspectOf(c);
      return { ...i, EffectiveCaps: ['CAP_CHOWN', 'CAP_NET_ADMIN'], BoundingCaps: ['CAP_CHOWN', 'CAP_NET_ADMIN'], Selkie: { LoginUid: 1000, LoginUser: 'alice' } };
    };
    await renderApp(engineSet([['system', sys.factory], ['user', usr.factory]]));
    await settle(() => rows().length === 3);
    await clickEl(rowOf('web', 'user')!.querySelector('td button'));
    await settle(() => !!document.querySelector('[aria-label="Container details"]'));
    await clickEl(Array.from(document.querySelectorAll('button[role="tab"]')).find((b) => b.textContent === 'Security') ?? null);
    await settle(() => !!document.querySelector('[aria-label="Security of container web"]'));
    const security = document.querySelector('[aria-label="Security of container web"]')!;
    const outside = Array.from(security.querySelectorAll('[data-default="no"]')).map((l) => l.textContent);
    // NET_ADMIN twice (effective and bounding); CHOWN is in the default set (the test hello's).
    expect(outside).toEqual(['NET_ADMIN', 'NET_ADMIN']);
    const text = security.textContent!;
    expect(text).toContain('Added to the default setNET_ADMIN');
    expect(text).toContain('Dropped from the default setKILL');
    expect(text).toContain('Started byalice (login UID 1000)');
  });
});

describe('which bridges the page opens', () => {
  const transports = () => {
    const { sys, usr } = twoEngines();
    const opened: Owner[] = [];
    const transport = (owner: Owner): TransportFactory => {
      opened.push(owner);
      return owner === 'system' ? sys.factory : usr.factory;
    };
    return { opened, transport };
  };
  const until = async (pred: () => boolean) => {
    for (let i = 0; i < 300 && !pred(); i++) await new Promise((r) => setTimeout(r, 5));
    expect(pred()).toBe(true);
  };

  it('opens only the system engine for root, and both for another user', async () => {
    const a = transports();
    const forRoot = openEngines({ transport: a.transport, whoami: async () => ({ id: 0, name: 'root' }) });
    sets.push(forRoot);
    await until(() => forRoot.engines[0]?.client.status.state === 'connected');
    await new Promise((r) => setTimeout(r, 20));
    expect(a.opened).toEqual(['system']);

    const b = transports();
    const forAlice = openEngines({ transport: b.transport, whoami: async () => ({ id: 1000, name: 'alice' }) });
    sets.push(forAlice);
    await until(() => forAlice.engines.length === 2 && forAlice.engines.every((e) => e.client.status.state === 'connected'));
    expect(b.opened).toEqual(['system', 'user']);
    expect(forAlice.userName).toBe('alice');
  });

  it('keeps one engine when both bridges report the same uid', async () => {
    const same = (uid: number) => {
      const f = fakeEngine();
      return fakeTransport(f, { uid, engine: { url: 'unix:///x', uid, user: uid ? 'alice' : 'root' } }).factory;
    };
    const rootBoth = engineSet([['system', same(0)], ['user', same(0)]]);
    await until(() => rootBoth.engines.length === 1);
    expect(rootBoth.engines.map((e) => e.owner)).toEqual(['system']);

    const userBoth = engineSet([['system', same(1000)], ['user', same(1000)]]);
    await until(() => userBoth.engines.length === 1);
    expect(userBoth.engines.map((e) => e.owner)).toEqual(['user']);
  });

  it('does not retry a system engine refused for lack of administrative access', async () => {
    const { sys } = twoEngines();
    sys.state.denied = true;
    const set = engineSet([['system', sys.factory]]);
    const client = set.engines[0]!.client;
    await until(() => client.status.state === 'failed');
    expect(client.status).toMatchObject({ state: 'failed', failure: { kind: 'access-denied' } });
    await new Promise((r) => setTimeout(r, 700));
    expect(sys.state.connections).toBe(1);
    const e = await client.call('containers.list').catch((x: unknown) => x);
    expect(e).toMatchObject({ message: 'Administrative access is needed for the system engine' });
  });
});
