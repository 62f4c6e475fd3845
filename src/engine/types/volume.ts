/** Volume shapes shared by the engine and its clients (Podman-compatible `volume inspect`). */

export interface VolumeCreateOptions {
  /** Name of the volume; a random 64-hex name when absent. */
  name?: string;
  /** Only "local" exists. */
  driver?: string;
  labels?: Record<string, string>;
  /** Driver options: type, device, o (a mount done when a container using the volume starts). */
  options?: Record<string, string>;
}

export interface VolumeInspect {
  Name: string;
  Driver: string;
  Mountpoint: string;
  CreatedAt: string;
  Labels: Record<string, string>;
  Scope: 'local';
  Options: Record<string, string>;
  /** Containers that use the volume. */
  MountCount: number;
  NeedsCopyUp: boolean;
  /** Made for a container's `-v /path` or an image VOLUME, removed with it (rm -v). */
  Anonymous: boolean;
}

export interface VolumeListOptions {
  /** name, label (KEY or KEY=VALUE), label!, driver, dangling (true/false). */
  filters?: Record<string, string[]>;
}

export interface VolumePruneReport {
  removed: string[];
  errors: { name: string; message: string }[];
  reclaimedBytes: number;
}
