/** The local VolumeService: records in the state database (volumes/volume-store.ts), data under GRAPHROOT/volumes. */
import { execFileSync } from 'node:child_process';
import type { VolumeService } from '../engine.js';
import { isSelkieError } from '../errors.js';
import type { VolumeCreateOptions, VolumeInspect, VolumeListOptions, VolumePruneReport } from '../types/volume.js';
import { volumeFilter } from '../volumes/volume-filters.js';
import type { VolumeRecord, VolumeStore } from '../volumes/volume-store.js';
import type { Resources } from './resources.js';

export class LocalVolumeService implements VolumeService {
  constructor(
    private readonly res: Resources,
    /** Removes a container by ID, forcibly (volume rm --force). */
    private readonly removeContainer: (id: string) => Promise<void>,
  ) {}

  async create(opts: VolumeCreateOptions = {}): Promise<VolumeInspect> {
    const store = await this.res.volumes();
    return this.view(store, store.create(opts));
  }

  async list(opts: VolumeListOptions = {}): Promise<VolumeInspect[]> {
    const store = await this.res.volumes();
    const keep = volumeFilter(opts.filters ?? {}, (n) => store.users(n).length > 0);
    return store.list().filter(keep).map((v) => this.view(store, v));
  }

  async inspect(name: string): Promise<VolumeInspect> {
    const store = await this.res.volumes();
    return this.view(store, store.mustFind(name));
  }

  async exists(name: string): Promise<boolean> {
    return (await this.res.volumes()).find(name) !== undefined;
  }

  async remove(name: string, opts: { force?: boolean } = {}): Promise<void> {
    const store = await this.res.volumes();
    const v = store.mustFind(name);
    if (opts.force) for (const id of store.users(v.name)) await this.removeContainer(id);
    store.remove(v.name);
  }

  async prune(opts: { filters?: Record<string, string[]> } = {}): Promise<VolumePruneReport> {
    const store = await this.res.volumes();
    const keep = volumeFilter(opts.filters ?? {}, (n) => store.users(n).length > 0);
    const report: VolumePruneReport = { removed: [], errors: [], reclaimedBytes: 0 };
    for (const v of store.list().filter(keep)) {
      if (store.users(v.name).length) continue;
      const size = diskUsage(store.dataPath(v.name));
      try {
        if (store.remove(v.name)) {
          report.removed.push(v.name);
          report.reclaimedBytes += size;
        }
      } catch (e) {
        if (!isSelkieError(e)) throw e;
        report.errors.push({ name: v.name, message: e.message }); // a container took it meanwhile
      }
    }
    return report;
  }

  private view(store: VolumeStore, v: VolumeRecord): VolumeInspect {
    return {
      Name: v.name,
      Driver: v.driver,
      Mountpoint: store.dataPath(v.name),
      CreatedAt: new Date(v.created).toISOString(),
      Labels: v.labels,
      Scope: 'local',
      Options: v.options,
      MountCount: store.mountCount(v.name),
      NeedsCopyUp: v.needsCopyUp,
      Anonymous: v.anonymous,
    };
  }
}

function diskUsage(dir: string): number {
  try {
    return Number(execFileSync('du', ['-sxb', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split('\t')[0]) || 0;
  } catch {
    return 0;
  }
}
