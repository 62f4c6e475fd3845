/** The local SystemService: version and info. */
import type { SystemService } from '../engine.js';
import { componentVersions } from '../system/component-version.js';
import { systemInfo } from '../system/system-info.js';
import { mountProgramInfo } from '../storage/overlay-support.js';
import type { SystemInfo, VersionInfo } from '../types/system.js';
import { hostArch, hostOs } from '../util/host-platform.js';
import { SELKIE_VERSION } from '../version.js';
import type { Resources } from './resources.js';
import { usageError } from '../errors.js';
import { validEventFilters } from '../events/event-log.js';
import type { EngineEvent, EventsOptions } from '../types/events.js';

export class LocalSystemService implements SystemService {
  constructor(private readonly res: Resources) {}

  async version(): Promise<VersionInfo> {
    const rt = this.res.runtimeChoice();
    const [runtime, conmon] = await componentVersions(this.res.paths.runRoot, [
      { name: rt.name, path: rt.path },
      { name: 'conmon', path: this.res.conmonPath() },
    ]);
    return {
      Client: { Version: SELKIE_VERSION, ApiVersion: SELKIE_VERSION, NodeVersion: process.version, Os: hostOs(), Arch: hostArch(), GitCommit: '' },
      Engine: { Version: SELKIE_VERSION, OCIRuntime: runtime!, Conmon: conmon!, Os: hostOs(), Arch: hostArch() },
    };
  }

  events(opts: EventsOptions = {}): AsyncIterable<EngineEvent> {
    for (const k of Object.keys(opts.filters ?? {})) {
      if (!validEventFilters.includes(k)) throw usageError(`invalid events filter "${k}"`, `use one of ${validEventFilters.join(', ')}`);
    }
    return this.res.events().read(opts);
  }

  async info(): Promise<SystemInfo> {
    const v = await this.version();
    const images = await this.res.images();
    const containers = await this.res.containers();
    const driver = await this.res.storage();
    const reg = this.res.registriesSummary();
    return systemInfo({
      graphRoot: this.res.paths.graphRoot,
      runRoot: this.res.paths.runRoot,
      rootless: this.res.paths.rootless,
      driver: driver.name,
      graphOptions: driver.mountProgram ? { 'overlay.mount_program': mountProgramInfo(driver.mountProgram) } : {},
      databasePath: this.res.databasePath,
      images: images.count(),
      containers: containers.counts(),
      ociRuntime: v.Engine.OCIRuntime,
      availableRuntimes: this.res.availableRuntimes(),
      conmon: v.Engine.Conmon,
      cgroupManager: this.res.options.cgroupManager ?? 'cgroupfs',
      registries: reg,
      version: SELKIE_VERSION,
    });
  }
}
