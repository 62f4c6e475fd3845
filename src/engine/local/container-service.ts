/**
 * The local ContainerService: records in the state database, root filesystems from the storage
 * driver, processes through conmon and the OCI runtime (containers/container-runner.ts).
 */
import fs from 'node:fs';
import type { Readable } from 'node:stream';
import type { AttachStreams, ContainerService } from '../engine.js';
import { SelkieError, conflict, isSelkieError, usageError } from '../errors.js';
import type { ContainerConfig, ContainerRecord } from '../containers/container-record.js';
import { containerFilter } from '../containers/container-filters.js';
import { containerPaths } from '../containers/container-paths.js';
import { toInfo, toInspect } from '../containers/container-view.js';
import { generateName, validName } from '../containers/name-generator.js';
import { readLog } from '../containers/log-reader.js';
import { resolveProcess } from '../containers/process-config.js';
import { ContainerRunner } from '../containers/container-runner.js';
import { ContainerOperations } from '../containers/container-operations.js';
import { thawIfPaused } from '../containers/container-pause.js';
import type { AttachOptions, ContainerPruneReport, ExecOptions, ExecResult, TopResult } from '../types/container-ops.js';
import type { ContainerCreateOptions, ContainerInfo, ContainerInspect, ContainerListOptions, LogLine, LogOptions } from '../types/container.js';
import { randomId } from '../util/ids.js';
import { parseUlimit } from '../containers/ulimit-parse.js';
import { containerStats, type ContainerStats } from '../containers/container-stats.js';
import { parseMountFlag, parseTmpfsFlag, parseVolumeFlag } from '../containers/mount-flags.js';
import type { LocalImageService } from './image-service.js';
import type { Resources } from './resources.js';

const supportedNetworks = ['none', 'host'];

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

  async create(opts: ContainerCreateOptions): Promise<{ id: string; name: string; warnings: string[] }> {
    const network = opts.network ?? 'none';
    if (!supportedNetworks.includes(network)) {
      throw usageError(`network mode "${network}" is not supported yet`, `use --network ${supportedNetworks.join(' or --network ')}`);
    }
    if (opts.name !== undefined && !validName(opts.name)) {
      throw usageError(`invalid container name "${opts.name}"`, 'names match [a-zA-Z0-9][a-zA-Z0-9_.-]*');
    }
    const image = await this.images.resolveOrPull(opts.image); // pulls a missing image (pull policy "missing")
    const runtime = this.res.runtimeFor(opts.runtime);
    const store = await this.res.containers();
    const storage = await this.res.storage();
    const id = randomId();
    let name = opts.name ?? generateName((n) => store.nameTaken(n));
    const hostname = opts.hostname ?? id.slice(0, 12);
    const proc = resolveProcess(image.config.config, { ...opts, hostname });
    const paths = containerPaths(this.res.paths.graphRoot, this.res.paths.runRoot, id);
    const config: ContainerConfig = {
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
      logDriver: 'k8s-file',
      logPath: paths.logPath,
      capAdd: opts.capAdd ?? [],
      capDrop: opts.capDrop ?? [],
      privileged: Boolean(opts.privileged),
      readOnly: Boolean(opts.readOnly),
      ulimits: (opts.ulimits ?? []).map(parseUlimit),
      sysctls: opts.sysctls ?? {},
      shmSize: opts.shmSize,
      noNewPrivileges: Boolean(opts.noNewPrivileges),
      mounts: [...(opts.volumes ?? []).map(parseVolumeFlag), ...(opts.mounts ?? []).map(parseMountFlag), ...(opts.tmpfs ?? []).map(parseTmpfsFlag)],
      memory: opts.memory,
      memorySwap: opts.memorySwap,
      cpus: opts.cpus,
      cpuShares: opts.cpuShares,
      pidsLimit: opts.pidsLimit,
      init: Boolean(opts.init),
    };
    const rec: ContainerRecord = { id, name, created: Date.now(), config, state: 'created', pid: 0, conmonPid: 0, exitCode: 0, startedAt: 0, finishedAt: 0, error: '' };
    // The name is claimed here, atomically. A generated name another process took meanwhile is
    // generated again; a name the user chose is a conflict.
    for (let attempt = 0; ; attempt++) {
      try {
        store.insert(rec);
        break;
      } catch (e) {
        if (opts.name !== undefined || attempt >= 5 || !isSelkieError(e) || e.kind !== 'conflict') throw e;
        name = generateName((n) => store.nameTaken(n));
        rec.name = name;
      }
    }
    try {
      fs.mkdirSync(paths.userdata, { recursive: true, mode: 0o700 });
      await storage.createContainerLayer(id, image.topLayer);
    } catch (e) {
      store.delete(id);
      fs.rmSync(paths.userdata, { recursive: true, force: true });
      throw e;
    }
    return { id, name, warnings: [] };
  }

  async start(nameOrId: string, streams?: AttachStreams): Promise<void> {
    const c = await this.find(nameOrId);
    if (c.state === 'running' || c.state === 'paused') {
      if (streams) throw conflict(`container ${c.name} is already running`, `attach to it with selkie attach ${c.name}`);
      return;
    }
    if (c.state === 'removing') throw conflict(`container ${c.name} is being removed`);
    await this.runner.start(c, streams);
  }

  async wait(nameOrId: string): Promise<number> {
    const c = await this.find(nameOrId);
    return this.runner.wait(c);
  }

  async stop(nameOrId: string, opts: { timeout?: number } = {}): Promise<void> {
    const c = await thawIfPaused(this.res, await this.find(nameOrId));
    if (c.state !== 'running' && c.state !== 'paused') return;
    await this.runner.stop(c, opts.timeout ?? c.config.stopTimeout);
  }

  async kill(nameOrId: string, signal = 'SIGKILL'): Promise<void> {
    const c = await this.find(nameOrId);
    if (c.state !== 'running' && c.state !== 'paused') throw conflict(`container ${c.name} is not running`, 'start it first');
    await this.runner.kill(c, signal);
  }

  async remove(nameOrId: string, opts: { force?: boolean; volumes?: boolean } = {}): Promise<void> {
    const c = await this.find(nameOrId);
    if (c.state === 'running' || c.state === 'paused') {
      if (!opts.force) {
        throw conflict(`cannot remove container ${c.name}: it is running`, 'stop it first, or use rm --force');
      }
      await thawIfPaused(this.res, c);
      await this.runner.kill(c, 'SIGKILL');
      await this.runner.wait(c);
    }
    const now = (await this.res.containers()).find(c.id); // conmon's cleanup of an --rm container may have removed it
    if (now) await this.runner.cleanup(this.runner.sync(now), true);
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
    return toInspect(c, (await this.res.storage()).name);
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
    yield* readLog(c.config.logPath, opts, exited);
  }

  async cleanup(nameOrId: string, opts: { remove?: boolean; run?: string } = {}): Promise<void> {
    const store = await this.res.containers();
    const c = store.find(nameOrId);
    if (!c) return; // already removed: cleanup is idempotent
    await this.runner.cleanup(this.runner.sync(c), opts.remove ?? c.config.autoRemove, opts.run);
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

  /** Find a container and bring its recorded state up to date (exit files written by conmon). */
  private async find(nameOrId: string): Promise<ContainerRecord> {
    const store = await this.res.containers();
    return this.runner.sync(store.mustFind(nameOrId));
  }
}
