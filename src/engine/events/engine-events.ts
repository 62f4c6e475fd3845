/**
 * Which Engine calls write which events. The services stay unaware of the log: after a call
 * succeeds, its event is appended here (containers' `died` comes from the runner, which is where an
 * exit is noticed, and `remove`, which is where every removal ends). Calls a service makes to another (a pod's start starting its containers) go
 * through the same wrapped methods, so they log per container as Podman does.
 */
import type { ContainerService, ImageService, NetworkService, PodService, VolumeService } from '../engine.js';
import type { ContainerRecord } from '../containers/container-record.js';
import type { EventLog } from './event-log.js';

type AnyFn = (...args: unknown[]) => Promise<unknown>;

/** Replace `svc[method]` with a version that calls `after(args, result)` once the call succeeds. */
function after<T extends object>(svc: T, method: string, fn: (args: unknown[], result: unknown, before: unknown) => void, before?: (args: unknown[]) => Promise<unknown>): void {
  const orig = (svc as Record<string, AnyFn>)[method];
  if (typeof orig !== 'function') return;
  (svc as Record<string, AnyFn>)[method] = async (...args: unknown[]) => {
    const ctx = before ? await before(args).catch(() => undefined) : undefined;
    const result = await orig.apply(svc, args);
    fn(args, result, ctx);
    return result;
  };
}

export interface EventSources {
  log: EventLog;
  containers: ContainerService;
  images: ImageService;
  pods: PodService;
  volumes: VolumeService;
  networks: NetworkService;
  /** The container record by name or ID (no state sync), for names and images in events. */
  findContainer: (nameOrId: string) => Promise<ContainerRecord | undefined>;
}

export function recordEvents(s: EventSources): void {
  const { log } = s;
  const ctr = (c: ContainerRecord | undefined, status: string, attributes?: Record<string, string>) => {
    if (c) log.write({ type: 'container', status, id: c.id, name: c.name, image: c.config.imageName, attributes: { ...c.config.labels, ...attributes } });
  };
  const find = (args: unknown[]) => s.findContainer(String(args[0]));
  after(s.containers, 'create', (_a, r) => void s.findContainer((r as { id: string }).id).then((c) => ctr(c, 'create')));
  for (const status of ['start', 'stop', 'pause', 'unpause', 'restart']) {
    after(s.containers, status, (_a, _r, c) => ctr(c as ContainerRecord, status), find);
  }
  after(s.containers, 'kill', (a, _r, c) => ctr(c as ContainerRecord, 'kill', { signal: String(a[1] ?? 'SIGKILL') }), find);
  after(s.containers, 'rename', (a, _r, c) => ctr(c ? { ...(c as ContainerRecord), name: String(a[1]) } : undefined, 'rename'), find);
  after(s.containers, 'commit', (a, r) => log.write({ type: 'image', status: 'commit', id: String(r), name: String(a[1] ?? '') }));

  const img = (status: string, id: string, name: string) => log.write({ type: 'image', status, id, name });
  after(s.images, 'pull', (a, r) => img('pull', String(r), String(a[0])));
  after(s.images, 'push', (a) => img('push', '', String(a[1] ?? a[0])));
  after(s.images, 'import', (a, r) => img('import', String(r), String((a[1] as { reference?: string })?.reference ?? '')));
  after(s.images, 'tag', (a) => img('tag', '', String(a[1])));
  after(s.images, 'untag', (a, r) => {
    for (const n of r as string[]) img('untag', '', n);
  });
  after(s.images, 'remove', (a, r) => {
    const res = r as { untagged: string[]; deleted: string[] };
    for (const n of res.untagged) img('untag', '', n);
    for (const id of res.deleted) img('remove', id, String(a[0]));
  });
  after(s.images, 'load', (_a, r) => {
    for (const n of (r as { names?: string[] }).names ?? []) img('loadfromarchive', '', n);
  });

  const pod = (status: string, id: string, name: string) => log.write({ type: 'pod', status, id, name });
  const findPod = async (args: unknown[]) => s.pods.inspect(String(args[0])).then((p) => ({ id: p.Id, name: p.Name }));
  after(s.pods, 'create', (_a, r) => pod('create', (r as { id: string }).id, (r as { name: string }).name));
  for (const status of ['start', 'stop', 'restart', 'kill', 'pause', 'unpause', 'remove']) {
    after(s.pods, status, (_a, _r, p) => p && pod(status, (p as { id: string }).id, (p as { name: string }).name), findPod);
  }

  after(s.volumes, 'create', (_a, r) => log.write({ type: 'volume', status: 'create', name: (r as { Name: string }).Name }));
  after(s.volumes, 'remove', (a) => log.write({ type: 'volume', status: 'remove', name: String(a[0]) }));
  after(s.networks, 'create', (_a, r) => log.write({ type: 'network', status: 'create', id: (r as { id?: string }).id ?? '', name: (r as { name?: string }).name ?? '' }));
  after(s.networks, 'remove', (_a, r) => log.write({ type: 'network', status: 'remove', name: String(r) }));
  after(s.networks, 'connect', (a) => log.write({ type: 'network', status: 'connect', name: String(a[0]), attributes: { container: String(a[1]) } }));
  after(s.networks, 'disconnect', (a) => log.write({ type: 'network', status: 'disconnect', name: String(a[0]), attributes: { container: String(a[1]) } }));
}
