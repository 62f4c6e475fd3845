/**
 * The local engine's shared resources, each opened on first use: paths, the state database, the
 * stores on top of it and the storage driver. Commands that need none of them (version) open none.
 */
import fs from 'node:fs';
import path from 'node:path';
import { defaultPaths, type EnginePaths } from '../config/paths.js';
import { ImageStore } from '../images/image-store.js';
import { ContainerStore } from '../containers/container-store.js';
import { VolumeStore } from '../volumes/volume-store.js';
import { refreshAfterReboot } from '../containers/reboot-refresh.js';
import { loadRegistriesConfig, registriesSummary, type RegistriesConfig } from '../config/registries-conf.js';
import { openDatabase, type Database } from '../state/database.js';
import type { StorageDriver } from '../storage/storage-driver.js';
import { openStorageDriver } from '../storage/storage-factory.js';
import { parseStorageOptions } from '../storage/storage-options.js';
import type { LocalEngineOptions } from './engine-options.js';
import { writeFileAtomic } from '../util/atomic-file.js';
import { repoRoot } from '../util/repo-root.js';
import { which } from '../util/which.js';
import type { OciRuntime } from '../runtime/oci-runtime.js';
import { chooseRuntime, installedRuntimes, openRuntime } from '../runtime/runtime-select.js';
import { NetworkStore } from '../network/network-store.js';
import { PodStore } from '../pods/pod-store.js';
import { EventLog } from '../events/event-log.js';
import { ContainerNetworking } from '../network/container-network.js';

export class Resources {
  readonly paths: EnginePaths;
  private _db?: Database;
  private _images?: ImageStore;
  private _containers?: ContainerStore;
  private _volumes?: VolumeStore;
  private _registries?: RegistriesConfig;
  private readonly runtimes = new Map<string, OciRuntime>();
  private _storage?: Promise<StorageDriver>;
  private _networks?: NetworkStore;
  private _pods?: PodStore;
  private _events?: EventLog;
  private _networking?: ContainerNetworking;

  constructor(readonly options: LocalEngineOptions) {
    const d = defaultPaths();
    this.paths = {
      graphRoot: path.resolve(options.root ?? d.graphRoot),
      runRoot: path.resolve(options.runRoot ?? d.runRoot),
      rootless: d.rootless,
    };
  }

  get databasePath(): string {
    return path.join(this.paths.graphRoot, 'selkie.db');
  }

  /** The storage driver: the flag, else the one this root was first used with, else the best the host supports. */
  storage(): Promise<StorageDriver> {
    this._storage ??= Promise.resolve()
      .then(() => parseStorageOptions(this.options.storageOptions))
      .then((opts) => openStorageDriver(this.options.storageDriver ?? this.recordedDriver(), this.paths.graphRoot, opts))
      .then((d: StorageDriver) => {
        const marker = path.join(this.paths.graphRoot, 'storage-driver');
        if (!fs.existsSync(marker)) writeFileAtomic(marker, `${d.name}\n`);
        return d;
      });
    return this._storage;
  }

  async db(): Promise<Database> {
    if (!this._db) {
      const driver = await this.storage();
      this._db = openDatabase(this.databasePath, { storageDriver: driver.name });
    }
    return this._db;
  }

  async images(): Promise<ImageStore> {
    this._images ??= new ImageStore(await this.db());
    return this._images;
  }

  async containers(): Promise<ContainerStore> {
    if (!this._containers) {
      const store = new ContainerStore(await this.db());
      const networks = await this.networks();
      refreshAfterReboot(store, this.paths.graphRoot, this.paths.runRoot, () => networks.releaseAll());
      this._containers = store;
    }
    return this._containers;
  }

  async volumes(): Promise<VolumeStore> {
    this._volumes ??= new VolumeStore(await this.db(), this.paths.graphRoot);
    return this._volumes;
  }

  /** The event log (events/event-log.ts); opening it touches nothing on disk. */
  events(): EventLog {
    this._events ??= new EventLog(this.paths.runRoot);
    return this._events;
  }

  /** Pods and their members (pods/pod-store.ts). */
  async pods(): Promise<PodStore> {
    this._pods ??= new PodStore(await this.db());
    return this._pods;
  }

  /** Networks and IP leases (network/network-store.ts). */
  async networks(): Promise<NetworkStore> {
    this._networks ??= new NetworkStore(await this.db());
    return this._networks;
  }

  /** Per-container network set-up and teardown (network/container-network.ts). */
  networking(): ContainerNetworking {
    this._networking ??= new ContainerNetworking(this.paths.runRoot, () => this.networks(), () => this.containers());
    return this._networking;
  }

  /** The OCI runtime by name or path (default: the one that works on this host), cached per request. */
  runtimeFor(requested?: string): OciRuntime {
    const key = requested ?? this.options.runtime ?? '';
    let rt = this.runtimes.get(key);
    if (!rt) {
      rt = openRuntime(requested ?? this.options.runtime, { runRoot: this.paths.runRoot, cgroupManager: this.cgroupManager() });
      this.runtimes.set(key, rt);
    }
    return rt;
  }

  /** Name and path of the runtime new containers get, without failing when none is installed. */
  runtimeChoice(): { name: string; path: string | undefined } {
    try {
      const c = chooseRuntime(this.options.runtime);
      return { name: c.name, path: c.path };
    } catch {
      return { name: this.options.runtime ?? 'runc', path: undefined };
    }
  }

  availableRuntimes(): string[] {
    return installedRuntimes().map((r) => r.name);
  }

  conmonPath(): string | undefined {
    return which('conmon');
  }

  cgroupManager(): 'cgroupfs' | 'systemd' {
    return this.options.cgroupManager === 'systemd' ? 'systemd' : 'cgroupfs';
  }

  /** The container store once `containers()` has opened it (for synchronous state updates). */
  containersSync(): ContainerStore {
    if (!this._containers) throw new Error('internal: the container store is not open yet');
    return this._containers;
  }

  /** argv that runs this CLI again (conmon's exit command). */
  selfCommand(): string[] {
    return this.options.selfCommand ?? [process.execPath, '--', path.join(repoRoot(), 'dist', 'cli', 'selkie.cjs'), ...this.globalArgs()];
  }

  /** The global flags that make another selkie process see the same state. */
  private globalArgs(): string[] {
    const a = ['--root', this.paths.graphRoot, '--runroot', this.paths.runRoot];
    if (this.options.storageDriver) a.push('--storage-driver', this.options.storageDriver);
    for (const o of this.options.storageOptions ?? []) a.push('--storage-opt', o);
    if (this.options.logLevel && this.options.logLevel !== 'warn') a.push('--log-level', this.options.logLevel);
    return a;
  }

  registriesConfig(): RegistriesConfig {
    this._registries ??= loadRegistriesConfig({ parsedCache: path.join(this.paths.runRoot, 'registries-conf.json') });
    return this._registries;
  }

  registriesSummary(): { search: string[]; insecure: string[]; blocked: string[] } {
    return registriesSummary(this.registriesConfig());
  }

  /** Registries that short names are looked up in (registries.conf unqualified-search-registries). */
  searchRegistries(): string[] {
    return this.registriesConfig().unqualifiedSearchRegistries;
  }

  runDir(...parts: string[]): string {
    const p = path.join(this.paths.runRoot, ...parts);
    fs.mkdirSync(p, { recursive: true, mode: 0o700 });
    return p;
  }

  close(): void {
    this._db?.close();
    this._db = undefined;
  }

  /** The driver an existing state database was created with, so later commands keep using it. */
  private recordedDriver(): 'overlay' | 'vfs' | undefined {
    try {
      const marker = fs.readFileSync(path.join(this.paths.graphRoot, 'storage-driver'), 'utf8').trim();
      return marker === 'overlay' || marker === 'vfs' ? marker : undefined;
    } catch {
      return undefined;
    }
  }
}
