/** Container shapes shared by the engine and its clients (Docker-compatible where Docker has them). */

export type ContainerStatus = 'created' | 'running' | 'paused' | 'stopped' | 'exited' | 'removing' | 'dead';

export interface ContainerCreateOptions {
  image: string;
  /** Command line after the image; replaces the image's Cmd. */
  command?: string[];
  entrypoint?: string[];
  name?: string;
  env?: string[];
  workdir?: string;
  user?: string;
  hostname?: string;
  tty?: boolean;
  interactive?: boolean;
  /** Remove the container when it exits (--rm). */
  autoRemove?: boolean;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  network?: string;
  stopSignal?: string;
  stopTimeout?: number;
  /** OCI runtime name or path (crun, runc, /usr/bin/runc). */
  runtime?: string;
  /** Capabilities added to / dropped from Podman's default set ("ALL" allowed). */
  capAdd?: string[];
  capDrop?: string[];
  privileged?: boolean;
  /** Mount the root filesystem read-only (with tmpfs on /tmp, /var/tmp, /run). */
  readOnly?: boolean;
  /** --ulimit type=soft[:hard], e.g. nofile=1024:2048. */
  ulimits?: string[];
  /** --sysctl key=value (namespaced sysctls only). */
  sysctls?: Record<string, string>;
  /** /dev/shm size in bytes. */
  shmSize?: number;
  /** --security-opt no-new-privileges. */
  noNewPrivileges?: boolean;
  /** -v HOST:CTR[:OPTS], --mount type=bind|tmpfs,..., --tmpfs PATH[:OPTS], as given. */
  volumes?: string[];
  mounts?: string[];
  tmpfs?: string[];
  /** Bytes; memorySwap -1 for unlimited swap. */
  memory?: number;
  memorySwap?: number;
  cpus?: number;
  cpuShares?: number;
  pidsLimit?: number;
  /** Run an init (catatonit) as PID 1 that reaps zombies and forwards signals. */
  init?: boolean;
}

export interface ContainerListOptions {
  all?: boolean;
  filters?: Record<string, string[]>;
  last?: number;
}

export interface ContainerInfo {
  Id: string;
  Names: string[];
  Image: string;
  ImageID: string;
  Command: string[];
  Created: number; // unix seconds
  State: ContainerStatus;
  Status: string; // "Up 3 minutes", "Exited (0) 2 seconds ago"
  ExitCode: number;
  Pid: number;
  Labels: Record<string, string>;
  StartedAt: number;
  ExitedAt: number;
}

export interface ContainerState {
  Status: ContainerStatus;
  Running: boolean;
  Paused: boolean;
  Restarting: boolean;
  OOMKilled: boolean;
  Dead: boolean;
  Pid: number;
  ConmonPid: number;
  ExitCode: number;
  Error: string;
  StartedAt: string;
  FinishedAt: string;
}

/** `container inspect` JSON as Docker prints it. Widened by the containers issue. */
export interface ContainerInspect {
  Id: string;
  Created: string;
  Path: string;
  Args: string[];
  State: ContainerState;
  Image: string;
  ImageName: string;
  Name: string;
  RestartCount: number;
  Driver: string;
  OCIRuntime: string;
  MountLabel: string;
  ProcessLabel: string;
  AppArmorProfile: string;
  Config: {
    Hostname: string;
    User: string;
    Env: string[];
    Cmd: string[] | null;
    Entrypoint: string[] | null;
    Image: string;
    WorkingDir: string;
    Labels: Record<string, string>;
    Tty: boolean;
    OpenStdin: boolean;
    StopSignal: string;
    Annotations: Record<string, string>;
  };
  HostConfig: {
    AutoRemove: boolean;
    NetworkMode: string;
    Runtime: string;
    CapAdd: string[];
    CapDrop: string[];
    Privileged: boolean;
    ReadonlyRootfs: boolean;
    Ulimits: { Name: string; Soft: number; Hard: number }[];
    Sysctls: Record<string, string>;
    ShmSize: number;
    SecurityOpt: string[];
    Memory: number;
    MemorySwap: number;
    NanoCpus: number;
    CpuShares: number;
    PidsLimit: number;
    Init: boolean;
    Binds: string[];
    Tmpfs: Record<string, string>;
  };
  Mounts: unknown[];
  NetworkSettings: Record<string, unknown>;
}

export interface LogOptions {
  follow?: boolean;
  /** Only the last N lines. */
  tail?: number;
  /** Unix milliseconds bounds. */
  since?: number;
  until?: number;
}

export interface LogLine {
  stream: 'stdout' | 'stderr';
  /** RFC 3339 time with nanoseconds, as conmon wrote it. */
  time: string;
  /** The line, without its newline; `partial` when the container wrote no newline. */
  text: string;
  partial: boolean;
}
