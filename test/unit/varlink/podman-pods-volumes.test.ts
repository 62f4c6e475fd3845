/** io.podman's pod, volume, event, GenerateKube and CreateContainer handlers on a fake Engine. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Engine } from '../../../src/engine/engine.js';
import { SelkieError } from '../../../src/engine/errors.js';
import { engineVarlinkService } from '../../../src/engine/varlink/engine-service.js';
import { createOptionsFromPodman, parseByteSize } from '../../../src/engine/varlink/podman/create-container.js';
import type { ReplyMessage } from '../../../src/engine/varlink/service.js';

const interfaces = path.join(__dirname, '../../../src/engine/varlink/interfaces');
const texts = {
  podman: fs.readFileSync(path.join(interfaces, 'io.podman.varlink'), 'utf8'),
  selkie: fs.readFileSync(path.join(interfaces, 'io.selkie.varlink'), 'utf8'),
};

function fakeEngine(parts: Partial<Record<keyof Engine, object>>, calls: string[] = []): Engine {
  const area = (name: string, impl: object) =>
    new Proxy(impl, {
      get: (target, key) => {
        const f = (target as Record<string | symbol, unknown>)[key];
        if (typeof f !== 'function') return async () => Promise.reject(new Error(`unexpected call ${name}.${String(key)}`));
        return (...args: unknown[]) => {
          calls.push(`${name}.${String(key)}(${args.filter((a) => !(a && typeof a === 'object' && 'signal' in a)).map((a) => JSON.stringify(a)).join(', ')})`);
          return (f as (...a: unknown[]) => unknown)(...args);
        };
      },
    });
  const names = ['containers', 'images', 'system', 'pods', 'volumes', 'networks', 'kube'] as const;
  return Object.fromEntries(names.map((n) => [n, area(n, parts[n] ?? {})])) as unknown as Engine;
}

async function call(engine: Engine, method: string, parameters: object = {}, more = false): Promise<ReplyMessage[]> {
  const out: ReplyMessage[] = [];
  for await (const r of engineVarlinkService(engine, texts).dispatch({ method, parameters, more }, new AbortController().signal).replies) out.push(r);
  return out;
}

const summary = {
  Id: 'p'.repeat(64), Name: 'web', Status: 'Running', Created: '2026-01-01T00:00:00Z', InfraId: 'i'.repeat(64), Labels: { a: 'b' }, Networks: [], Cgroup: 'selkie', Namespace: '',
  Containers: [{ Id: 'i'.repeat(64), Names: 'web-infra', Status: 'running' }],
};

describe('io.podman pods', () => {
  it('CreatePod maps PodCreate onto the engine and answers the pod ID', async () => {
    const calls: string[] = [];
    const e = fakeEngine({ pods: { create: async () => ({ id: 'p'.repeat(64), name: 'web' }) } }, calls);
    expect(await call(e, 'io.podman.CreatePod', { create: { name: 'web', infra: true, share: ['net'], labels: { a: 'b' } } })).toEqual([{ parameters: { pod: 'p'.repeat(64) } }]);
    expect(calls).toEqual(['pods.create({"name":"web","labels":{"a":"b"},"infra":true,"share":["net"]})']);
  });

  it('ListPods and GetPod answer ListPodData; a missing pod is PodNotFound', async () => {
    const e = fakeEngine({
      pods: {
        list: async () => [summary],
        inspect: async (n: string) => {
          if (n !== 'web') throw new SelkieError('not-found', `pod "${n}" not found`);
          return { Id: summary.Id };
        },
      },
    });
    const data = { id: summary.Id, name: 'web', createdat: summary.Created, cgroup: 'selkie', status: 'Running', labels: { a: 'b' }, numberofcontainers: '1', containersinfo: [{ name: 'web-infra', id: 'i'.repeat(64), status: 'running' }] };
    expect(await call(e, 'io.podman.ListPods')).toEqual([{ parameters: { pods: [data] } }]);
    expect(await call(e, 'io.podman.GetPod', { name: 'web' })).toEqual([{ parameters: { pod: data } }]);
    expect(await call(e, 'io.podman.GetPod', { name: 'nope' })).toEqual([{ error: 'io.podman.PodNotFound', parameters: { name: 'nope', reason: 'pod "nope" not found' } }]);
  });

  it('lifecycle calls answer the pod ID, or PodContainerError naming the members that failed', async () => {
    const e = fakeEngine({
      pods: {
        start: async () => ({ id: summary.Id, errors: [] }),
        stop: async (_n: string, o: { timeout?: number }) => ({ id: summary.Id, errors: o.timeout === 3 ? [{ container: 'c1', message: 'runc failed' }] : [] }),
        remove: async () => ({ id: summary.Id, removed: [] }),
        top: async () => ({ titles: ['PID', 'COMMAND'], processes: [['1', 'sleep 9']] }),
      },
    });
    expect(await call(e, 'io.podman.StartPod', { name: 'web' })).toEqual([{ parameters: { pod: summary.Id } }]);
    expect(await call(e, 'io.podman.StopPod', { name: 'web', timeout: 3 })).toEqual([
      { error: 'io.podman.PodContainerError', parameters: { podname: 'web', errors: [{ containerid: 'c1', reason: 'runc failed' }] } },
    ]);
    expect(await call(e, 'io.podman.RemovePod', { name: 'web', force: true })).toEqual([{ parameters: { pod: summary.Id } }]);
    expect(await call(e, 'io.podman.TopPod', { pod: 'web', descriptors: ['pid', 'args'] })).toEqual([{ parameters: { stats: ['PID\tCOMMAND', '1\tsleep 9'] } }]);
  });
});

describe('io.podman volumes, events, kube', () => {
  const vol = { Name: 'data', Driver: 'local', Mountpoint: '/v/data/_data', CreatedAt: '', Labels: {}, Scope: 'local', Options: {}, MountCount: 0, NeedsCopyUp: true, Anonymous: false };

  it('VolumeCreate, GetVolumes, VolumeRemove with per-volume failures, VolumesPrune', async () => {
    const e = fakeEngine({
      volumes: {
        create: async (o: { name: string }) => ({ ...vol, Name: o.name }),
        list: async () => [vol, { ...vol, Name: 'busy' }],
        remove: async (n: string) => {
          if (n === 'busy') throw new SelkieError('conflict', 'volume "busy" is in use by container web');
        },
        prune: async () => ({ removed: ['old'], errors: [], reclaimedBytes: 0 }),
      },
    });
    expect(await call(e, 'io.podman.VolumeCreate', { options: { volumeName: 'data' } })).toEqual([{ parameters: { volumeName: 'data' } }]);
    expect(await call(e, 'io.podman.GetVolumes', { args: ['data'] })).toEqual([{ parameters: { volumes: [{ name: 'data', labels: {}, mountPoint: '/v/data/_data', driver: 'local', options: {} }] } }]);
    expect(await call(e, 'io.podman.VolumeRemove', { options: { all: true } })).toEqual([
      { parameters: { successes: ['data'], failures: { busy: 'volume "busy" is in use by container web' } } },
    ]);
    expect(await call(e, 'io.podman.VolumesPrune')).toEqual([{ parameters: { prunedNames: ['old'], prunedErrors: [] } }]);
  });

  it('GetEvents needs more and streams Event structs with continues', async () => {
    const ev = { ID: 'c1', Name: 'web', Status: 'start', Time: '2026-01-01T00:00:00Z', TimeNano: 1, Type: 'container', Image: 'busybox' };
    const e = fakeEngine({
      system: {
        events: async function* () {
          yield ev;
        },
      },
    });
    expect(await call(e, 'io.podman.GetEvents', { filter: [], since: '', until: '1' })).toEqual([{ error: 'org.varlink.service.ExpectedMore', parameters: {} }]);
    const replies = await call(e, 'io.podman.GetEvents', { filter: ['type=container'], since: '10m', until: '' }, true);
    expect(replies[0]).toEqual({ parameters: { events: { id: 'c1', image: 'busybox', name: 'web', status: 'start', time: ev.Time, type: 'container' } }, continues: true });
    expect(replies).toHaveLength(2);
    expect(replies[1]!.continues).toBeUndefined();
  });

  it('GenerateKube splits the pod and service documents', async () => {
    const e = fakeEngine({ kube: { generate: async () => 'apiVersion: v1\nkind: Pod\n---\napiVersion: v1\nkind: Service\n' } });
    expect(await call(e, 'io.podman.GenerateKube', { name: 'web', service: true })).toEqual([
      { parameters: { pod: { pod: 'apiVersion: v1\nkind: Pod\n', service: 'apiVersion: v1\nkind: Service\n' } } },
    ]);
  });
});

describe('io.podman CreateContainer', () => {
  it('maps Podman 1.9 Create onto ContainerCreateOptions', () => {
    expect(createOptionsFromPodman({ args: ['localhost/busybox', 'sleep', '9'], name: 'web', env: ['A=1'], memory: '64m', label: ['x=y=z'], rm: true, detach: true, capAdd: [] })).toEqual({
      image: 'localhost/busybox', command: ['sleep', '9'], name: 'web', env: ['A=1'], memory: 64 * 1024 * 1024, labels: { x: 'y=z' }, autoRemove: true,
    });
    expect(() => createOptionsFromPodman({ args: [] })).toThrow(/must start with the image/);
    expect(() => createOptionsFromPodman({ args: ['i'], healthcheckCommand: 'true' })).toThrow(/healthcheckCommand is not supported/);
    expect(parseByteSize('memory', '1g')).toBe(1024 ** 3);
    expect(() => parseByteSize('memory', 'lots')).toThrow(/invalid size/);
  });

  it('answers the new container ID; a bad Create is ErrorOccurred', async () => {
    const calls: string[] = [];
    const e = fakeEngine({ containers: { create: async () => ({ id: 'c'.repeat(64), name: 'web', warnings: [] }) } }, calls);
    expect(await call(e, 'io.podman.CreateContainer', { create: { args: ['localhost/busybox'], name: 'web' } })).toEqual([{ parameters: { container: 'c'.repeat(64) } }]);
    expect(calls).toEqual(['containers.create({"image":"localhost/busybox","name":"web"})']);
    expect((await call(e, 'io.podman.CreateContainer', { create: { args: [] } }))[0]!.error).toBe('io.podman.ErrorOccurred');
  });
});
