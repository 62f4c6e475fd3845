/**
 * The container operations beyond create/start/stop/rm, for LocalContainerService to delegate to:
 * each finds the container, brings its state up to date and calls the module that does the work.
 */
import type { Readable } from 'node:stream';
import type { AttachStreams } from '../engine.js';
import { conflict } from '../errors.js';
import type { Resources } from '../local/resources.js';
import { processAlive } from '../util/process-alive.js';
import type { AttachOptions, ContainerPruneReport, ExecOptions, ExecResult, TopResult } from '../types/container-ops.js';
import { attachContainer } from './container-attach.js';
import { execInContainer } from './container-exec.js';
import { exportContainer, mountContainer, unmountContainer } from './container-mount.js';
import { pauseContainer, thawIfPaused, unpauseContainer } from './container-pause.js';
import { diskUsage, pruneFilter } from './container-prune.js';
import type { ContainerRecord } from './container-record.js';
import { renameContainer } from './container-rename.js';
import type { ContainerRunner } from './container-runner.js';
import { topContainer } from './container-top.js';

export class ContainerOperations {
  constructor(
    private readonly res: Resources,
    private readonly runner: ContainerRunner,
  ) {}

  async find(nameOrId: string): Promise<ContainerRecord> {
    return this.runner.sync((await this.res.containers()).mustFind(nameOrId));
  }

  async restart(nameOrId: string, timeout?: number): Promise<void> {
    let c = await this.find(nameOrId);
    if (c.state === 'removing') throw conflict(`container ${c.name} is being removed, so it cannot be restarted`);
    if (c.state === 'running' || c.state === 'paused') {
      if (c.config.autoRemove) throw conflict(`container ${c.name} was created with --rm, so stopping it to restart would remove it`, `stop it with selkie stop ${c.name}, or run it again without --rm`);
      c = await thawIfPaused(this.res, c);
      await this.runner.stop(c, timeout ?? c.config.stopTimeout);
      // conmon runs its exit command (container cleanup) before it exits; starting again before
      // that cleanup is done would let it tear down the new run.
      await conmonGone(c.conmonPid, 15_000);
      c = await this.find(c.id);
    }
    await this.runner.start(c);
  }

  async pause(nameOrId: string): Promise<void> {
    await pauseContainer(this.res, await this.find(nameOrId));
  }

  async unpause(nameOrId: string): Promise<void> {
    await unpauseContainer(this.res, await this.find(nameOrId));
  }

  async rename(nameOrId: string, newName: string): Promise<void> {
    await renameContainer(this.res, await this.find(nameOrId), newName);
  }

  async prune(filters: Record<string, string[]> = {}): Promise<ContainerPruneReport> {
    const keep = pruneFilter(filters);
    const store = await this.res.containers();
    const storage = await this.res.storage();
    const report: ContainerPruneReport = { removed: [], errors: [], reclaimedBytes: 0 };
    for (const c of store.list().map((r) => this.runner.sync(r)).filter(keep)) {
      const layer = `${storage.home}/${c.id}`;
      const size = diskUsage(`${layer}/diff`) || diskUsage(layer);
      try {
        await this.runner.cleanup(c, true);
        report.removed.push(c.id);
        report.reclaimedBytes += size;
      } catch (e) {
        report.errors.push({ id: c.id, message: e instanceof Error ? e.message : String(e) });
      }
    }
    return report;
  }

  async exec(nameOrId: string, opts: ExecOptions, streams?: AttachStreams): Promise<ExecResult> {
    return execInContainer(this.res, await this.find(nameOrId), opts, streams);
  }

  async attach(nameOrId: string, streams: AttachStreams, opts?: AttachOptions): Promise<{ detached: boolean }> {
    return attachContainer(this.res, await this.find(nameOrId), streams, opts);
  }

  async top(nameOrId: string, descriptors: string[] = []): Promise<TopResult> {
    return topContainer(this.res, await this.find(nameOrId), descriptors);
  }

  async mount(nameOrId: string): Promise<string> {
    const c = await this.find(nameOrId);
    // Settle the last run first, so its pending release cannot unmount what the user mounts now.
    await this.runner.cleanup(c, false);
    return mountContainer(this.res, c);
  }

  async unmount(nameOrId: string): Promise<void> {
    await unmountContainer(this.res, await this.find(nameOrId));
  }

  async export(nameOrId: string): Promise<Readable> {
    const c = await this.find(nameOrId);
    await this.runner.cleanup(c, false);
    return exportContainer(this.res, c);
  }
}

async function conmonGone(pid: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (pid && processAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
}
