/**
 * The local ContainerService: records in the state database, root filesystems from the storage
 * driver, processes through conmon and the OCI runtime (containers/container-runner.ts).
 */
import { podJoin } from '../pods/pod-join.js';
import type { PodMembership } from '../pods/pod-namespaces.js';
import type { PodRecord } from '../pods/pod-store.js';
import fs from 'node:fs';
import type { Readable } from 'node:stream';
import type { AttachStreams, ContainerService } from '../engine.js';
import { SelkieError, conflict, isSelkieError, usageError } from '../errors.js';
import type { ContainerConfig, ContainerRecord } from '../containers/container-record.js';
import { containerFilter } from '../containers/container-filters.js';
import { containerPaths } from '../containers/container-paths.js';
import { toInfo, toInspect } from '../containers/container-view.js';
import { startedBy } from '../containers/started-by.js';
import { generateName, validName } from '../containers/name-generator.js';
import { readLog } from '../containers/log-reader.js';
import { resolveProcess } from '../containers/process-config.js';
import { resolveIdMappings } from '../containers/id-mappings.js';
import { ContainerRunner } from '../containers/container-runner.js';
import { waitForRelease } from '../containers/run-claim.js';
import { parseSecurityOptions } from '../containers/security-options.js';
import { checkGroupAdd, parseDeviceCgroupRule, parseDeviceFlag } from '../containers/device-options.js';
import { ContainerOperations } from '../containers/container-operations.js';
import { thawIfPaused } from '../containers/container-pause.js';
import type { AttachOptions, CommitOptions, ContainerPathStat, ContainerPruneReport, CopyFromOptions, CopyToOptions, ExecOptions, ExecResult, FilesystemChange, TopResult } from '../types/container-ops.js';
import { copyFromContainer, copyToContainer, statContainerPath } from '../containers/container-copy.js';
import { containerChanges } from '../containers/container-diff.js';
import { commitContainer } from '../containers/container-commit.js';
import type { ContainerCreateOptions, ContainerInfo, ContainerInspect, ContainerListOptions, LogLine, LogOptions } from '../types/container.js';
import { randomId } from '../util/ids.js';
import { parseUlimit } from '../containers/ulimit-parse.js';
import { containerStats, type ContainerStats } from '../containers/container-stats.js';
import { createMounts, removeVolumes } from '../volumes/volume-mounts.js';
import type { LocalImageService } from './image-service.js';
import { netConfigOf, networkRequest, resolveNetworkRequest, type NetworkedConfig } from '../network/container-network-config.js';
import type { Resources } from './resources.js';
import { systemdCreateSettings } from '../systemd/create-settings.js';
import { writeCidFile } from '../systemd/cidfile.js';
import { readJournalLog } from '../systemd/journald-logs.js';
import { restartAfterExit } from '../systemd/restart-on-exit.js';
import { applyPodExitPolicy } from '../pods/pod-exit-policy.js';
import { markStoppedByUser, readRestartCount, writeRestartCount } from '../systemd/restart-policy.js';

export class LocalContainerService implements ContainerService {
  private readonly runner: ContainerRunner;
  private readonly ops: ContainerOperations;

  constructor(
    private readonly res: Resources,
    private readonly images: LocalImageService,
  ) {
    this.runner = new ContainerRunner(res);
    this.ops = new ContainerOperations(res, this.runner);
  }

  /** Creates a pod for `--pod new:NAME` (set by the engine, which owns the pod service). */
  createPod?: (name: string) => Promise<PodRecord>;

  async create(opts: ContainerCreateOptions, internal: { pod?: PodMembership } = {}): Promise<{ id: string; name: string; warnings: string[] }> {
    if (opts.name !== undefined && !validName(opts.name)) {
      throw usageError(`invalid container name "${opts.name}"`, 'names match [a-zA-Z0-9][a-zA-Z0-9_.-]*');
    }
    let membership = internal.pod;
    if (!membership && opts.pod) ({ membership, opts } = podJoin(await this.podFor(opts.pod), opts));
    const security = parseSecurityOptions(opts.securityOpt);
    const image = await this.images.resolveOrPull(opts.image); // pulls a missing image (pull policy "missing")
    const runtime = this.res.runtimeFor(opts.runtime);
    const systemd = systemdCreateSettings(opts, runtime.name);
    const store = await this.res.containers();
    const storage = await this.res.storage();
    if (opts.replace && opts.name) await this.replaceNamed(opts.name);
    const id = randomId();
    let name = opts.name ?? generateName((n) => store.nameTaken(n));
    const hostname = opts.hostname ?? id.slice(0, 12);
    const proc = resolveProcess(image.config.config, { ...opts, hostname });
    const networking = await resolveNetworkRequest(networkRequest(opts), {
      rootless: this.res.paths.rootless,
      exposed: image.config.config?.ExposedPorts,
      store: () => this.res.networks(),
      findContainer: (n) => store.mustFind(n).id,
      takenHostPorts: () => new Set(store.list().filter((c) => c.state === 'running' || c.state === 'paused').flatMap((c) => (netConfigOf(c.config)?.ports ?? []).map((p) => `${p.protocol}/${p.hostPort}`))),
    });
    const network = networking.mode;
    const volumeStore = await this.res.volumes();
    const mounts = createMounts(volumeStore, opts, image.config.config?.Volumes, (n) => store.mustFind(n));
    const paths = containerPaths(this.res.paths.graphRoot, this.res.paths.runRoot, id);
    const config: NetworkedConfig = {
      net: networking.net,
      imageName: opts.image,
      imageId: image.id,
      ...proc,
      hostname,
      tty: Boolean(opts.tty),
      stdin: Boolean(opts.interactive),
      autoRemove: Boolean(opts.autoRemove),
      labels: opts.labels ?? {},
      annotations: opts.annotations ?? {},
      network,
      stopSignal: opts.stopSignal ?? image.config.config?.StopSignal ?? 'SIGTERM',
      stopTimeout: opts.stopTimeout ?? 10,
      runtimePath: runtime.path,
      runtimeName: runtime.name,
      logDriver: systemd.logDriver,
      logPath: paths.logPath,
      capAdd: opts.capAdd ?? [],
      capDrop: opts.capDrop ?? [],
      privileged: Boolean(opts.privileged),
      readOnly: Boolean(opts.readOnly),
      ulimits: (opts.ulimits ?? []).map(parseUlimit),
      sysctls: opts.sysctls ?? {},
      shmSize: opts.shmSize,
      noNewPrivileges: Boolean(opts.noNewPrivileges) || security.noNewPrivileges,
      security,
      devices: (opts.devices ?? []).map(parseDeviceFlag),
      deviceCgroupRules: (opts.deviceCgroupRules ?? []).map((r) => (parseDeviceCgroupRule(r), r.trim())),
      groupAdd: checkGroupAdd(opts.groupAdd ?? []),
      mounts: mounts.mounts,
      memory: opts.memory,
      memorySwap: opts.memorySwap,
      cpus: opts.cpus,
      cpuShares: opts.cpuShares,
      pidsLimit: opts.pidsLimit,
      init: Boolean(opts.init),
      idMappings: resolveIdMappings(opts),
      ...(membership ? { pod: membership } : {}),
      sdNotifyMode: systemd.sdNotifyMode,
      restartPolicy: systemd.restartPolicy,
      cgroupsMode: systemd.cgroupsMode,
      ...(systemd.createCommand ? { createCommand: systemd.createCommand } : {}),
      ...(opts.conmonPidFile ? { conmonPidFile: opts.conmonPidFile } : {}),
    };
    const rec: ContainerRecord = { id, name, created: Date.now(), config, state: 'created', pid: 0, conmonPid: 0, exitCode: 0, startedAt: 0, finishedAt: 0, error: '' };
    // The name is claimed here, atomically. A generated name another process took meanwhile is
    // generated again; a name the user chose is a conflict.
    for (let attempt = 0; ; attempt++) {
      try {
        store.insert(rec);
        break;
      } catch (e) {
        if (opts.name !== undefined || attempt >= 5 || !isSelkieError(e) || e.kind !== 'conflict') {
          removeVolumes(volumeStore, mounts.created);
          throw e;
        }
        name = generateName((n) => store.nameTaken(n));
        rec.name = name;
      }
    }
    try {
      if (membership) (await this.res.pods()).addMember(membership.id, id);
      volumeStore.addUses(id, mounts.names);
      fs.mkdirSync(paths.userdata, { recursive: true, mode: 0o700 });
      await storage.createContainerLayer(id, image.topLayer, config.idMappings);
    } catch (e) {
      store.delete(id);
      removeVolumes(volumeStore, mounts.created);
      fs.rmSync(paths.userdata, { recursive: true, force: true });
      throw e;
    }
    if (opts.cidFile) {
      try {
        writeCidFile(opts.cidFile, id);
      } catch (e) {
        await this.remove(id, { force: true }).catch(() => {});
        throw e;
      }
    }
    return { id, name, warnings: networking.warnings };
  }

  /** --replace: the container holding the name goes first (stopped and removed, as rm -f). */
  private async replaceNamed(name: string): Promise<void> {
    const old = (await this.res.containers()).find(name);
    if (old && old.name === name) await this.remove(old.id, { force: true });
  }

  private async podFor(ref: string): Promise<PodRecord> {
    if (ref.startsWith('new:')) {
      if (!this.createPod) throw usageError('--pod new:NAME is not available here');
      return this.createPod(ref.slice(4));
    }
    return (await this.res.pods()).mustFind(ref);
  }

  async start(nameOrId: string, streams?: AttachStreams): Promise<void> {
    const c = await this.find(nameOrId);
    if (c.state === 'running' || c.state === 'paused') {
      if (streams) throw conflict(`container ${c.name} is already running`, `attach to it with selkie attach ${c.name}`);
      return;
    }
    if (c.state === 'removing') throw conflict(`container ${c.name} is being removed`);
    writeRestartCount(this.paths(c).userdata, 0); // a start by the user begins a new count
    await this.runner.start(c, streams);
  }

  async wait(nameOrId: string): Promise<number> {
    const c = await this.find(nameOrId);
    const code = await this.runner.wait(c);
    // An attached --rm pod member removed here (its exit command called off): its pod's exit policy too.
    if (c.config.pod && !(await this.res.containers()).get(c.id)) await this.podExitPolicy(c);
    return code;
  }

  async stop(nameOrId: string, opts: { timeout?: number } = {}): Promise<void> {
    const c = await thawIfPaused(this.res, await this.find(nameOrId));
    markStoppedByUser(this.paths(c).runDir); // also during a restart's back-off: it stays down
    if (c.state !== 'running' && c.state !== 'paused') return;
    await this.runner.stop(c, opts.timeout ?? c.config.stopTimeout);
  }

  async kill(nameOrId: string, signal = 'SIGKILL'): Promise<void> {
    const c = await this.find(nameOrId);
    if (c.state !== 'running' && c.state !== 'paused') throw conflict(`container ${c.name} is not running`, 'start it first');
    await this.runner.kill(c, signal);
  }

  async remove(nameOrId: string, opts: { force?: boolean; volumes?: boolean } = {}, internal: { podRemoval?: boolean } = {}): Promise<void> {
    const c = await this.find(nameOrId);
    if (c.config.pod?.infra && !internal.podRemoval && (await this.res.pods()).find(c.config.pod.id)) {
      throw conflict(`container ${c.name} is the infra container of pod ${c.config.pod.name}`, `remove the pod instead: selkie pod rm ${c.config.pod.name}`);
    }
    if (c.state === 'running' || c.state === 'paused') {
      if (!opts.force) {
        throw conflict(`cannot remove container ${c.name}: it is running`, 'stop it first, or use rm --force');
      }
      await thawIfPaused(this.res, c);
      await this.runner.kill(c, 'SIGKILL');
      await this.runner.wait(c);
    }
    const now = (await this.res.containers()).find(c.id); // conmon's cleanup of an --rm container may have removed it
    if (now) await this.runner.cleanup(this.runner.sync(now), true, undefined, Boolean(opts.volumes));
    if (!internal.podRemoval) await this.podExitPolicy(c);
  }

  async list(opts: ContainerListOptions = {}): Promise<ContainerInfo[]> {
    const store = await this.res.containers();
    let all = store.list().map((c) => this.runner.sync(c));
    const ancestors = new Map<string, string | undefined>();
    for (const a of opts.filters?.ancestor ?? []) ancestors.set(a, (await this.images.exists(a)) ? (await this.images.resolve(a)).id : undefined);
    const keep = containerFilter(opts.filters ?? {}, (n) => store.mustFind(n), (n) => ancestors.get(n));
    all = all.filter(keep);
    if (!opts.all) all = all.filter((c) => c.state === 'running' || c.state === 'paused');
    if (opts.last !== undefined && opts.last >= 0) all = all.slice(0, opts.last);
    return all.map(toInfo);
  }

  async inspect(nameOrId: string): Promise<ContainerInspect> {
    const c = await this.find(nameOrId);
    const p = this.paths(c);
    return { ...toInspect(c, (await this.res.storage()).name, await this.res.networking().settings(c)), RestartCount: readRestartCount(p.userdata), ConmonPidFile: c.config.conmonPidFile ?? p.conmonPidFile, ...startedBy(c) };
  }

  async stats(names: string[] = []): Promise<ContainerStats[]> {
    const store = await this.res.containers();
    const chosen = names.length ? await Promise.all(names.map((n) => this.find(n))) : store.list().map((c) => this.runner.sync(c));
    for (const c of chosen) if (names.length && c.state !== 'running' && c.state !== 'paused') throw conflict(`container ${c.name} is not running`, 'stats are available for running containers');
    return containerStats(chosen.filter((c) => c.state === 'running' || c.state === 'paused'));
  }

  async *logs(nameOrId: string, opts: LogOptions = {}): AsyncIterable<LogLine> {
    const c = await this.find(nameOrId);
    if (c.config.logDriver === 'none') throw new SelkieError('invalid', `container ${c.name} has no logs: it uses the "none" log driver`);
    const store = await this.res.containers();
    const exited = () => {
      const now = store.get(c.id);
      return !now || !['running', 'paused'].includes(this.runner.sync(now).state);
    };
    if (c.config.logDriver === 'journald') yield* readJournalLog(c.id, c.name, opts, exited);
    else yield* readLog(c.config.logPath, opts, exited);
  }

  async cleanup(nameOrId: string, opts: { remove?: boolean; run?: string } = {}): Promise<void> {
    // conmon's exit command for a store that is gone (its root deleted while the command waited):
    // nothing to release, and opening the state would create a new, empty store in its place.
    if (opts.run && !fs.existsSync(this.res.databasePath)) return;
    const store = await this.res.containers();
    const c = store.find(nameOrId);
    if (!c) return; // already removed: cleanup is idempotent
    const released = await this.runner.cleanup(this.runner.sync(c), opts.remove ?? c.config.autoRemove, opts.run);
    // conmon's exit command of the run that just ended: the restart policy decides what happens next,
    // then the pod's exit policy (stop: the infra goes once its last other container has exited).
    if (opts.run && released && (await restartAfterExit(this.res, this.runner, c.id))) return;
    if (opts.run) await this.podExitPolicy(c);
  }

  /** A pod member exited or was removed: its pod's exit policy may stop the pod's infra. */
  private async podExitPolicy(c: ContainerRecord): Promise<void> {
    if (c.config.pod && !c.config.pod.infra) await applyPodExitPolicy(this.res, c, (m) => this.runner.sync(m), (id) => this.stop(id));
  }

  private paths(c: ContainerRecord) {
    return containerPaths(this.res.paths.graphRoot, this.res.paths.runRoot, c.id);
  }

  restart(nameOrId: string, opts: { timeout?: number } = {}): Promise<void> {
    return this.ops.restart(nameOrId, opts.timeout);
  }

  pause(nameOrId: string): Promise<void> {
    return this.ops.pause(nameOrId);
  }

  unpause(nameOrId: string): Promise<void> {
    return this.ops.unpause(nameOrId);
  }

  rename(nameOrId: string, newName: string): Promise<void> {
    return this.ops.rename(nameOrId, newName);
  }

  prune(opts: { filters?: Record<string, string[]> } = {}): Promise<ContainerPruneReport> {
    return this.ops.prune(opts.filters);
  }

  exec(nameOrId: string, opts: ExecOptions, streams?: AttachStreams): Promise<ExecResult> {
    return this.ops.exec(nameOrId, opts, streams);
  }

  attach(nameOrId: string, streams: AttachStreams, opts?: AttachOptions): Promise<{ detached: boolean }> {
    return this.ops.attach(nameOrId, streams, opts);
  }

  top(nameOrId: string, descriptors?: string[]): Promise<TopResult> {
    return this.ops.top(nameOrId, descriptors);
  }

  mount(nameOrId: string): Promise<string> {
    return this.ops.mount(nameOrId);
  }

  unmount(nameOrId: string): Promise<void> {
    return this.ops.unmount(nameOrId);
  }

  export(nameOrId: string): Promise<Readable> {
    return this.ops.export(nameOrId);
  }

  async statPath(nameOrId: string, containerPath: string, opts?: CopyFromOptions): Promise<ContainerPathStat> {
    return statContainerPath(this.res, await this.settled(nameOrId), containerPath, opts);
  }

  async copyFrom(nameOrId: string, containerPath: string, opts?: CopyFromOptions): Promise<{ stat: ContainerPathStat; tar: Readable }> {
    return copyFromContainer(this.res, await this.settled(nameOrId), containerPath, opts);
  }

  async copyTo(nameOrId: string, containerPath: string, tar: Readable, opts?: CopyToOptions): Promise<void> {
    return copyToContainer(this.res, await this.settled(nameOrId), containerPath, tar, opts);
  }

  async diff(nameOrId: string): Promise<FilesystemChange[]> {
    const c = await this.find(nameOrId);
    const image = (await this.res.images()).get(c.config.imageId);
    return containerChanges(await this.res.storage(), c.id, image?.topLayer ?? null);
  }

  async commit(nameOrId: string, opts?: CommitOptions): Promise<string> {
    return commitContainer(this.res, await this.settled(nameOrId), opts);
  }

  /** find(), and for a stopped container, its last run's release done first (so it cannot unmount what we mount). */
  private async settled(nameOrId: string): Promise<ContainerRecord> {
    const c = await this.find(nameOrId);
    if (c.state !== 'running' && c.state !== 'paused') {
      // Release the last run here, or wait for the release another process (conmon's exit command) has under way.
      if (!(await this.runner.cleanup(c, false))) await waitForRelease(containerPaths(this.res.paths.graphRoot, this.res.paths.runRoot, c.id).runDir);
    }
    return c;
  }

  /** Find a container and bring its recorded state up to date (exit files written by conmon). */
  /** The record brought up to date (an exited container's exit recorded). */
  synced(c: ContainerRecord): ContainerRecord {
    return this.runner.sync(c);
  }

  private async find(nameOrId: string): Promise<ContainerRecord> {
    const store = await this.res.containers();
    return this.runner.sync(store.mustFind(nameOrId));
  }
}
