/**
 * Pods on this host: a pod record, an infra container (catatonit -P in the built-in pause image)
 * that holds the shared namespaces, and member containers that join them. Actions on a pod act on
 * all its containers at once — `pod stop` signals every member together and waits for them
 * together, so N containers that ignore SIGTERM stop in one timeout, not N.
 */
import type { PodService } from '../engine.js';
import { conflict, usageError } from '../errors.js';
import type { ContainerRecord } from '../containers/container-record.js';
import { generateName, validName } from '../containers/name-generator.js';
import { ensurePauseImage } from '../pods/pause-image.js';
import { podFilter } from '../pods/pod-filters.js';
import { podInspect, podSummary } from '../pods/pod-view.js';
import type { PodConfig, PodRecord } from '../pods/pod-store.js';
import type { ContainerStats } from '../containers/container-stats.js';
import type { TopResult } from '../types/container-ops.js';
import type { PodActionReport, PodCreateOptions, PodInspect, PodNamespace, PodPruneReport, PodSummary } from '../types/pod.js';
import { randomId } from '../util/ids.js';
import type { LocalContainerService } from './container-service.js';
import type { LocalImageService } from './image-service.js';
import type { Resources } from './resources.js';

const NAMESPACES: readonly PodNamespace[] = ['net', 'ipc', 'uts', 'pid', 'cgroup'];
const DEFAULT_SHARE: PodNamespace[] = ['net', 'ipc', 'uts'];
const active = (c: ContainerRecord) => c.state === 'running' || c.state === 'paused';

export class LocalPodService implements PodService {
  constructor(
    private readonly res: Resources,
    private readonly containers: LocalContainerService,
    private readonly images: LocalImageService,
  ) {}

  async create(opts: PodCreateOptions = {}): Promise<{ id: string; name: string }> {
    if (opts.name !== undefined && !validName(opts.name)) throw usageError(`invalid pod name "${opts.name}"`, 'names match [a-zA-Z0-9][a-zA-Z0-9_.-]*');
    const infra = opts.infra !== false;
    const share = parseShare(opts.share, infra);
    if (!infra && (opts.publish?.length || opts.network?.length || opts.dns?.length || opts.addHosts?.length)) {
      throw usageError('a pod without an infra container cannot have ports, networks, DNS or hosts', 'leave out --infra=false');
    }
    const exitPolicy = opts.exitPolicy ?? 'continue';
    if (exitPolicy !== 'continue' && exitPolicy !== 'stop') throw usageError(`invalid --exit-policy "${String(exitPolicy)}"`, 'use continue or stop');
    if (!infra && opts.infraConmonPidFile) throw usageError('--infra-conmon-pidfile needs an infra container', 'leave out --infra=false');
    if (opts.replace && !opts.name) throw usageError('--replace needs --name', 'name the pod that should be replaced');
    const pods = await this.res.pods();
    // --replace: the pod holding the name goes first, with its containers (as pod rm -f).
    if (opts.replace && opts.name && pods.find(opts.name)?.name === opts.name) await this.remove(opts.name, { force: true });
    const id = randomId();
    const name = opts.name ?? generateName((n) => pods.find(n) !== undefined);
    const config: PodConfig = {
      share,
      hostname: opts.hostname ?? name,
      labels: opts.labels ?? {},
      cgroupParent: opts.cgroupParent ?? '',
      infra,
      publish: opts.publish ?? [],
      network: opts.network ?? [],
      addHosts: opts.addHosts ?? [],
      dns: opts.dns ?? [],
      createCommand: opts.createCommand ?? [],
      exitPolicy,
    };
    const rec: PodRecord = { id, name, created: Date.now(), config, infraId: null };
    pods.insert(rec);
    if (!infra) return { id, name };
    try {
      const image = opts.infraImage ?? (await ensurePauseImage(this.images));
      const created = await this.containers.create(
        {
          image,
          name: opts.infraName ?? `${id.slice(0, 12)}-infra`,
          command: opts.infraCommand,
          hostname: config.hostname,
          network: config.network.join(',') || undefined,
          publish: config.publish,
          addHosts: config.addHosts,
          dns: config.dns,
          labels: {},
          ...(opts.infraConmonPidFile ? { conmonPidFile: opts.infraConmonPidFile } : {}),
        },
        { pod: { id, name, share, infraId: null, infra: true } },
      );
      pods.setInfra(id, created.id);
    } catch (e) {
      for (const cid of pods.members(id)) await this.containers.remove(cid, { force: true }, { podRemoval: true }).catch(() => {});
      pods.delete(id);
      throw e;
    }
    return { id, name };
  }

  async start(nameOrId: string): Promise<PodActionReport> {
    const { pod, infra, members } = await this.load(nameOrId);
    const report: PodActionReport = { id: pod.id, errors: [] };
    // The members start with the infra: each prepares its root file system meanwhile and joins the
    // infra's namespaces once it runs (the container runner starts the infra once for all of them).
    const infraReport: PodActionReport = { id: pod.id, errors: [] };
    await Promise.all([
      infra && !active(infra) ? this.act(infraReport, [infra], (c) => this.containers.start(c.id)) : undefined,
      this.act(report, members.filter((c) => !active(c)), (c) => this.containers.start(c.id)),
    ]);
    // An infra that failed is the one error: the members failed because of it.
    return infraReport.errors.length ? infraReport : report;
  }

  async stop(nameOrId: string, opts: { timeout?: number } = {}): Promise<PodActionReport> {
    const { pod, infra, members } = await this.load(nameOrId);
    const report: PodActionReport = { id: pod.id, errors: [] };
    await this.act(report, members.filter(active), (c) => this.containers.stop(c.id, opts));
    if (infra && active(infra)) await this.act(report, [infra], (c) => this.containers.stop(c.id, opts));
    return report;
  }

  async restart(nameOrId: string, opts: { timeout?: number } = {}): Promise<PodActionReport> {
    const stopped = await this.stop(nameOrId, opts);
    if (stopped.errors.length) return stopped;
    return this.start(nameOrId);
  }

  async kill(nameOrId: string, signal = 'SIGKILL'): Promise<PodActionReport> {
    const { pod, infra, members } = await this.load(nameOrId);
    const report: PodActionReport = { id: pod.id, errors: [] };
    const running = [...members, ...(infra ? [infra] : [])].filter((c) => c.state === 'running');
    if (!running.length) throw conflict(`pod ${pod.name} has no running containers to kill`, `start it with selkie pod start ${pod.name}`);
    await this.act(report, running, (c) => this.containers.kill(c.id, signal));
    return report;
  }

  async pause(nameOrId: string): Promise<PodActionReport> {
    const { pod, infra, members } = await this.load(nameOrId);
    const report: PodActionReport = { id: pod.id, errors: [] };
    await this.act(report, [...members, ...(infra ? [infra] : [])].filter((c) => c.state === 'running'), (c) => this.containers.pause(c.id));
    return report;
  }

  async unpause(nameOrId: string): Promise<PodActionReport> {
    const { pod, infra, members } = await this.load(nameOrId);
    const report: PodActionReport = { id: pod.id, errors: [] };
    await this.act(report, [...(infra ? [infra] : []), ...members].filter((c) => c.state === 'paused'), (c) => this.containers.unpause(c.id));
    return report;
  }

  async remove(nameOrId: string, opts: { force?: boolean; timeout?: number } = {}): Promise<{ id: string; removed: string[] }> {
    const { pod, infra, members } = await this.load(nameOrId);
    const running = members.filter(active);
    if (running.length && !opts.force) {
      throw conflict(`cannot remove pod ${pod.name}: it has running containers (${running.map((c) => c.name).join(', ')})`, 'stop the pod first, or use pod rm --force');
    }
    if (!opts.force && members.length) {
      throw conflict(`cannot remove pod ${pod.name}: it has containers (${members.map((c) => c.name).join(', ')})`, 'remove them first, or use pod rm --force');
    }
    if (opts.timeout !== undefined) await this.stop(pod.id, { timeout: opts.timeout });
    const removed: string[] = [];
    await Promise.all(members.map(async (c) => {
      await this.containers.remove(c.id, { force: true }, { podRemoval: true });
      removed.push(c.id);
    }));
    if (infra) {
      await this.containers.remove(infra.id, { force: true }, { podRemoval: true });
      removed.push(infra.id);
    }
    (await this.res.pods()).delete(pod.id);
    return { id: pod.id, removed };
  }

  async list(opts: { filters?: Record<string, string[]> } = {}): Promise<PodSummary[]> {
    const pods = await this.res.pods();
    const all = await this.allMembers();
    const keep = podFilter(opts.filters ?? {});
    return pods
      .list()
      .map((p) => podSummary(p, all.get(p.id) ?? []))
      .filter((s) => keep(s));
  }

  async inspect(nameOrId: string): Promise<PodInspect> {
    const { pod } = await this.load(nameOrId);
    const members = (await this.allMembers()).get(pod.id) ?? [];
    return podInspect(pod, members);
  }

  async top(nameOrId: string, descriptors?: string[]): Promise<TopResult> {
    const { pod, infra, members } = await this.load(nameOrId);
    const running = [...(infra ? [infra] : []), ...members].filter((c) => c.state === 'running');
    if (!running.length) throw conflict(`pod ${pod.name} has no running containers`, `start it with selkie pod start ${pod.name}`);
    const results = await Promise.all(running.map((c) => this.containers.top(c.id, descriptors)));
    return { titles: results[0]!.titles, processes: results.flatMap((r) => r.processes) };
  }

  async stats(namesOrIds: string[] = []): Promise<(ContainerStats & { Pod: string; PodName: string })[]> {
    const pods = await this.res.pods();
    const chosen = namesOrIds.length ? namesOrIds.map((n) => pods.mustFind(n)) : pods.list();
    const out: (ContainerStats & { Pod: string; PodName: string })[] = [];
    for (const pod of chosen) {
      const { infra, members } = await this.load(pod.id);
      const running = [...(infra ? [infra] : []), ...members].filter((c) => c.state === 'running');
      if (!running.length) continue;
      for (const s of await this.containers.stats(running.map((c) => c.id))) out.push({ ...s, Pod: pod.id, PodName: pod.name });
    }
    return out;
  }

  async exists(nameOrId: string): Promise<boolean> {
    return (await this.res.pods()).find(nameOrId) !== undefined;
  }

  async prune(): Promise<PodPruneReport> {
    const report: PodPruneReport = { removed: [], errors: [] };
    const all = await this.allMembers();
    for (const pod of (await this.res.pods()).list()) {
      if ((all.get(pod.id) ?? []).some(active)) continue;
      try {
        await this.remove(pod.id, { force: true });
        report.removed.push(pod.id);
      } catch (e) {
        report.errors.push({ id: pod.id, message: e instanceof Error ? e.message : String(e) });
      }
    }
    return report;
  }

  /** The pod, its infra container and its other members, with states brought up to date. */
  private async load(nameOrId: string): Promise<{ pod: PodRecord; infra?: ContainerRecord; members: ContainerRecord[] }> {
    const pod = (await this.res.pods()).mustFind(nameOrId);
    const all = (await this.allMembers()).get(pod.id) ?? [];
    return { pod, infra: all.find((c) => c.id === pod.infraId), members: all.filter((c) => c.id !== pod.infraId) };
  }

  /** Every pod's member containers (synced), by pod ID. */
  private async allMembers(): Promise<Map<string, ContainerRecord[]>> {
    const membership = (await this.res.pods()).membership();
    const store = await this.res.containers();
    const out = new Map<string, ContainerRecord[]>();
    for (const [cid, podId] of membership) {
      const c = store.get(cid);
      if (!c) continue;
      const list = out.get(podId) ?? [];
      list.push(this.containers.synced(c));
      out.set(podId, list);
    }
    return out;
  }

  /** Run `fn` on all containers at once, collecting failures in the report. */
  private async act(report: PodActionReport, list: ContainerRecord[], fn: (c: ContainerRecord) => Promise<unknown>): Promise<void> {
    const results = await Promise.allSettled(list.map((c) => fn(c)));
    results.forEach((r, i) => {
      if (r.status === 'rejected') report.errors.push({ container: list[i]!.name, message: r.reason instanceof Error ? r.reason.message : String(r.reason) });
    });
  }
}

function parseShare(share: PodNamespace[] | undefined, infra: boolean): PodNamespace[] {
  if (share === undefined) return infra ? [...DEFAULT_SHARE] : [];
  for (const ns of share) {
    if (!NAMESPACES.includes(ns)) throw usageError(`invalid --share "${ns}"`, `choose from ${NAMESPACES.join(', ')}`);
  }
  if (share.length && !infra) throw usageError('cannot share namespaces without an infra container', 'leave out --infra=false, or --share ""');
  return [...new Set(share)];
}
