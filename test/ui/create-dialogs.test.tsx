// @vitest-environment happy-dom
/**
 * The create dialogs rendered for real (React + PatternFly in happy-dom) against a BridgeClient
 * talking to the bridge server on a fake engine: validation happens before anything is created.
 */
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, describe, expect, it } from 'vitest';
import { SelkieError } from '../../src/engine/errors.js';
import { AlertsProvider } from '../../src/ui/common/alerts.js';
import { BridgeContext } from '../../src/ui/common/bridge-context.js';
import { ContainersTables } from '../../src/ui/containers/containers-table.js';
import { groupContainers } from '../../src/ui/containers/container-groups.js';
import { CreateContainerModal } from '../../src/ui/dialogs/create-container-modal.js';
import { CreatePodModal } from '../../src/ui/dialogs/create-pod-modal.js';
import { ImagesTable } from '../../src/ui/images/images-table.js';
import type { PodSummary } from '../../src/engine/types/pod.js';
import { connectedClient } from './bridge-harness.js';
import { container } from './fake-engine.js';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let root: Root | undefined;
const cleanups: (() => void)[] = [];
afterEach(() => {
  act(() => root?.unmount());
  root = undefined;
  cleanups.splice(0).forEach((f) => f());
  document.body.innerHTML = '';
});

async function render(ui: React.ReactNode) {
  const c = connectedClient();
  cleanups.push(() => c.client.close());
  const el = document.createElement('div');
  document.body.appendChild(el);
  root = createRoot(el);
  await act(async () => {
    root!.render(
      <BridgeContext.Provider value={{ client: c.client }}>
        <AlertsProvider>{ui}</AlertsProvider>
      </BridgeContext.Provider>,
    );
  });
  return c;
}

/** Set an input's value the way React notices (its value setter, then an input event). */
function type(id: string, value: string) {
  const input = document.getElementById(id) as HTMLInputElement | HTMLTextAreaElement;
  if (!input) throw new Error(`no field #${id}`);
  const proto = input instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
  act(() => {
    Object.getOwnPropertyDescriptor(proto, 'value')!.set!.call(input, value);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

const button = (name: string) => {
  const b = Array.from(document.querySelectorAll('button')).find((x) => x.textContent?.trim() === name);
  if (!b) throw new Error(`no button "${name}"`);
  return b;
};
const click = async (name: string) => act(async () => button(name).click());
const settle = async (until: () => boolean) => {
  for (let i = 0; i < 200 && !until(); i++) await act(async () => new Promise((r) => setTimeout(r, 10)));
  if (!until()) throw new Error('the page did not get there');
};

describe('Create container dialog', () => {
  it('says the image does not exist, before creating anything', async () => {
    const { fake } = await render(<CreateContainerModal images={[]} pods={[]} onClose={() => undefined} />);
    type('create-image', 'registry.test/nope:1');
    type('create-name', 'web2');
    await click('Create');
    await settle(() => !!document.getElementById('create-image-helper')?.textContent?.includes('could not be found'));
    expect(document.getElementById('create-image-helper')!.textContent).toContain('image "registry.test/nope:1" is not stored here');
    expect(fake.calls.map((c) => c.method)).not.toContain('containers.create');
  });

  it('inspects a registry reference as the field is left: size, layers, architecture and labels, nothing pulled yet', async () => {
    const { fake } = await render(<CreateContainerModal images={[]} pods={[]} onClose={() => undefined} />);
    type('create-image', 'registry.test/app:1');
    await act(async () => document.getElementById('create-image')!.dispatchEvent(new FocusEvent('focusout', { bubbles: true })));
    await settle(() => !!document.getElementById('create-image-helper')?.textContent?.includes('will be pulled'));
    expect(document.getElementById('create-image-helper')!.textContent).toBe('Not stored here; will be pulled: 5.24 MB in 2 layers, arm64. Labels: maintainer=ops');
    expect(fake.calls.map((c) => c.method)).not.toContain('images.pull');
  });

  it('shows field errors and sends nothing while a field is wrong', async () => {
    const { fake } = await render(<CreateContainerModal images={[]} pods={[]} onClose={() => undefined} />);
    type('create-image', 'localhost/busybox:latest');
    type('create-ports', '8080:999999');
    type('create-memory', '1k');
    await click('Create and run');
    expect(document.getElementById('create-ports-helper')!.textContent).toContain('the container port must be a number from 1 to 65535');
    expect(document.getElementById('create-memory-helper')!.textContent).toContain('at least 6 MB');
    expect(fake.calls).toEqual([]);
  });

  it('checks the user-namespace mapping and the restart retries before sending anything', async () => {
    const { fake } = await render(<CreateContainerModal images={[]} pods={[]} onClose={() => undefined} />);
    type('create-image', 'localhost/busybox:latest');
    type('create-uidmap', '0:100000:65536, 100:200000:10');
    type('create-gidmap', '0:100000');
    const restart = document.getElementById('create-restart') as HTMLSelectElement;
    act(() => {
      restart.value = 'on-failure';
      restart.dispatchEvent(new Event('change', { bubbles: true }));
    });
    type('create-restart-retries', 'three');
    await click('Create and run');
    expect(document.getElementById('create-uidmap-helper')!.textContent).toContain('"100:200000:10": its container IDs overlap those of 0:100000:65536');
    expect(document.getElementById('create-gidmap-helper')!.textContent).toContain('"0:100000" is not CONTAINER_ID:HOST_ID:SIZE, like 0:100000:65536');
    expect(document.getElementById('create-restart-retries-helper')!.textContent).toContain('"three" is not a number of retries');
    expect(fake.calls).toEqual([]);
  });

  it('creates and starts a valid container, then closes', async () => {
    let closed = false;
    const { fake } = await render(<CreateContainerModal images={[]} pods={[]} onClose={() => (closed = true)} />);
    type('create-image', 'localhost/busybox:latest');
    type('create-name', 'web2');
    type('create-command', 'sleep 100');
    type('create-env', 'A=1\nB=2');
    await click('Create and run');
    await settle(() => closed);
    const create = fake.calls.find((c) => c.method === 'containers.create');
    expect(create?.args[0]).toEqual({ image: 'localhost/busybox:latest', name: 'web2', command: ['sleep', '100'], env: ['A=1', 'B=2'] });
    expect(fake.calls.map((c) => c.method)).toContain('containers.start');
  });
});

describe('engine errors in the create dialogs', () => {
  it('a port already in use: the dialog stays open and shows the error naming the port', async () => {
    let closed = false;
    const c = await render(<CreateContainerModal images={[]} pods={[]} onClose={() => (closed = true)} />);
    c.fake.failures.set('containers.start', new SelkieError('conflict', 'cannot publish port 8080: 0.0.0.0:8080 is already in use', { hint: 'choose another host port' }));
    type('create-image', 'localhost/busybox:latest');
    type('create-ports', '8080:80');
    await click('Create and run');
    await settle(() => document.body.textContent!.includes('8080 is already in use'));
    expect(document.body.textContent).toContain('choose another host port');
    expect(closed).toBe(false);
  });

  it('a pod name that is taken: the error names the pod and nothing else is created', async () => {
    let closed = false;
    const c = await render(<CreatePodModal images={[]} onClose={() => (closed = true)} />);
    c.fake.failures.set('pods.create', new SelkieError('conflict', 'the pod name "shop" is already in use by pod 0123abcd', { hint: 'choose another name, or remove that pod' }));
    type('pod-name', 'shop');
    await click('Add container');
    type('pod-c1-image', 'localhost/busybox:latest');
    await click('Create');
    await settle(() => document.body.textContent!.includes('"shop" is already in use'));
    expect(c.fake.calls.map((x) => x.method)).not.toContain('containers.create');
    expect(closed).toBe(false);
  });
});

describe('Create pod dialog', () => {
  it('creates the pod with the containers added in the dialog', async () => {
    let closed = false;
    const { fake } = await render(<CreatePodModal images={[]} onClose={() => (closed = true)} />);
    type('pod-name', 'shop');
    type('pod-ports', '8080:80');
    await click('Add container');
    await click('Add container');
    type('pod-c1-image', 'localhost/busybox:latest');
    type('pod-c1-name', 'a');
    type('pod-c2-image', 'localhost/busybox:latest');
    type('pod-c2-command', 'sleep 5');
    await click('Create');
    await settle(() => closed);
    expect(fake.calls.filter((c) => c.method !== 'images.exists' && c.method !== 'images.inspect').map((c) => [c.method, c.args[0]])).toEqual([
      ['pods.create', { name: 'shop', share: ['net', 'ipc', 'uts'], publish: ['8080:80'] }],
      ['containers.create', { image: 'localhost/busybox:latest', name: 'a', pod: 'pod1' }],
      ['containers.create', { image: 'localhost/busybox:latest', command: ['sleep', '5'], pod: 'pod1' }],
      ['pods.start', 'pod1'],
    ]);
  });

  it('refuses a container whose image is missing, naming it under its field', async () => {
    const { fake } = await render(<CreatePodModal images={[]} onClose={() => undefined} />);
    type('pod-name', 'shop');
    await click('Add container');
    type('pod-c1-image', 'registry.test/ghost');
    await click('Create');
    await settle(() => !!document.getElementById('pod-c1-image-helper')?.textContent);
    expect(document.getElementById('pod-c1-image-helper')!.textContent).toContain('"registry.test/ghost"');
    expect(fake.calls.map((c) => c.method)).not.toContain('pods.create');
  });
});

describe('Containers table', () => {
  it('renders a pod group with its state and actions, and labels every control', async () => {
    const pod: PodSummary = { Id: 'p1', Name: 'shop', Status: 'Running', Created: '', InfraId: 'i', Labels: {}, Networks: [], Cgroup: '', Namespace: '', Containers: [] };
    const groups = groupContainers([container('db', { Pod: 'p1', PodName: 'shop' }), container('solo', { State: 'exited' })], [pod], { showAll: true, filter: '' });
    await render(<ContainersTables groups={groups} stats={new Map()} />);
    const sections = Array.from(document.querySelectorAll('section')).map((s) => s.getAttribute('aria-label'));
    expect(sections).toEqual(['Pod shop', 'Containers outside pods']);
    expect(document.querySelector('tr[data-container="db"] .selkie-state')!.getAttribute('data-state')).toBe('running');
    const labels = Array.from(document.querySelectorAll('button[aria-label]')).map((b) => b.getAttribute('aria-label'));
    expect(labels).toEqual(expect.arrayContaining(['Actions for pod shop', 'Actions for container db', 'Actions for container solo']));
    for (const b of Array.from(document.querySelectorAll('button'))) expect(b.getAttribute('aria-label') || b.textContent?.trim() || b.getAttribute('aria-labelledby')).toBeTruthy();
  });
});

describe('Images table', () => {
  it('lists tags, size and users, and shows an image history from its menu', async () => {
    const image = { Id: 'sha256:img', RepoTags: ['localhost/busybox:latest'], RepoDigests: [], Created: 1_700_000_000, Size: 2_140_160, Labels: {}, Dangling: false };
    await render(<ImagesTable images={[image]} containers={[container('web', { ImageID: 'sha256:img' })]} onRun={() => undefined} />);
    const row = document.querySelector('tr[data-image="localhost/busybox:latest"]')!;
    expect(row.textContent).toContain('2.14 MB');
    expect(row.textContent).toContain('1 container');
    expect(row.textContent).not.toContain('1 containers');
    await act(async () => (document.querySelector('button[aria-label="Actions for image localhost/busybox:latest"]') as HTMLButtonElement).click());
    await click('History');
    await settle(() => !!document.body.textContent?.includes('import busybox-static'));
    expect(document.body.textContent).toContain('History of image localhost/busybox:latest');
    expect(document.body.textContent).toContain('from Debian');
  });
});
