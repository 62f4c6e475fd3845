/** `version` and `info` shapes. */

export interface ComponentVersion {
  Name: string;
  Path: string;
  Version: string;
}

export interface VersionInfo {
  Client: { Version: string; ApiVersion: string; NodeVersion: string; Os: string; Arch: string; GitCommit: string };
  Engine: { Version: string; OCIRuntime: ComponentVersion; Conmon: ComponentVersion; Os: string; Arch: string };
}

export interface SystemInfo {
  host: {
    arch: string;
    os: string;
    hostname: string;
    kernel: string;
    distribution: { distribution: string; version: string };
    cpus: number;
    memTotal: number;
    memFree: number;
    uptime: string;
    cgroupVersion: 'v1' | 'v2' | 'hybrid';
    cgroupManager: string;
    cgroupControllers: string[];
    ociRuntime: ComponentVersion;
    availableRuntimes: string[];
    conmon: ComponentVersion;
    security: { rootless: boolean; seccompEnabled: boolean; selinuxEnabled: boolean; apparmorEnabled: boolean; capabilities: string };
  };
  store: {
    graphRoot: string;
    runRoot: string;
    graphDriverName: string;
    /** Driver options in effect (Podman's field): "overlay.mount_program" when overlay is mounted by a FUSE program. */
    graphOptions: Record<string, { Executable: string; Package: string; Version: string }>;
    databasePath: string;
    imageStore: { number: number };
    containerStore: { number: number; running: number; stopped: number; paused: number };
  };
  registries: { search: string[]; insecure: string[]; blocked: string[] };
  version: { Version: string; NodeVersion: string };
}
