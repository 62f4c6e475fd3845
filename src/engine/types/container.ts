/** Container shapes shared by the engine and its clients (Docker-compatible where Docker has them). */

export type ContainerStatus = 'created' | 'running' | 'paused' | 'stopped' | 'exited' | 'removing' | 'dead';

export interface ContainerCreateOptions {
  image: string;
  /** Command line after the image; replaces the image's Cmd. */
  command?: string[];
  entrypoint?: string[];
  name?: string;
  env?: string[];
  /** --env-host: the caller's environment (NAME=value), under the image's Env, which wins, as -e does over both. */
  hostEnv?: string[];
  workdir?: string;
  user?: string;
  hostname?: string;
  tty?: boolean;
  interactive?: boolean;
  /** Remove the container when it exits (--rm). */
  autoRemove?: boolean;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  /** --network values, comma-separated: bridge, none, host, container:NAME or network names. */
  network?: string;
  /** -p/--publish [ip:][hostPort:]containerPort[/proto], as given; -P publishes the image's EXPOSE ports. */
  publish?: string[];
  publishAll?: boolean;
  /** --ip, --network-alias, --add-host NAME:IP, --dns, --dns-search, --dns-option. */
  ip?: string;
  networkAliases?: string[];
  addHosts?: string[];
  dns?: string[];
  dnsSearch?: string[];
  dnsOptions?: string[];
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
  /** --security-opt no-new-privileges (also accepted inside securityOpt). */
  noNewPrivileges?: boolean;
  /** --security-opt values as given: seccomp=unconfined|FILE, label=…, apparmor=…, mask=, unmask=, no-new-privileges. */
  securityOpt?: string[];
  /** --device HOST[:CONTAINER][:PERMS], --device-cgroup-rule "c 1:3 rwm", --group-add GROUP|GID|keep-groups. */
  devices?: string[];
  deviceCgroupRules?: string[];
  groupAdd?: string[];
  /** -v HOST:CTR[:OPTS] / NAME:CTR / CTR, --mount type=bind|volume|tmpfs,..., --tmpfs PATH[:OPTS], as given. */
  volumes?: string[];
  mounts?: string[];
  tmpfs?: string[];
  /** --volumes-from CONTAINER[:ro|rw]: share another container's volumes and binds. */
  volumesFrom?: string[];
  /** Bytes; memorySwap -1 for unlimited swap. */
  memory?: number;
  memorySwap?: number;
  cpus?: number;
  cpuShares?: number;
  pidsLimit?: number;
  /** Run an init (catatonit) as PID 1 that reaps zombies and forwards signals. */
  init?: boolean;
  /** User namespace: CONTAINER:HOST:SIZE mappings, or a name's range in /etc/subuid, /etc/subgid. */
  uidmap?: string[];
  gidmap?: string[];
  subuidname?: string;
  subgidname?: string;
  /** The pod to join: its name or ID, or new:NAME to create it. */
  pod?: string;
  /** --sdnotify container|conmon|ignore (default: container when NOTIFY_SOCKET is set, else ignore). */
  sdnotify?: string;
  /** --restart no|on-failure[:N]|always|unless-stopped. */
  restart?: string;
  /** --log-driver k8s-file|journald|none. */
  logDriver?: string;
  /** --cgroups enabled|no-conmon|split|disabled. */
  cgroups?: string;
  /** --cidfile: write the new container's ID to this file (which must not exist). */
  cidFile?: string;
  /** --replace: remove the container that has this --name first. */
  replace?: boolean;
  /** --conmon-pidfile: each start writes the PID of the container's conmon here too. */
  conmonPidFile?: string;
  /** The command line that created the container (inspect's Config.CreateCommand). */
  createCommand?: string[];
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
  /** Published ports (podman's shape) and the networks the container is on. */
  Ports?: { host_ip: string; container_port: number; host_port: number; range: number; protocol: string }[];
  Networks?: string[];
  /** The pod's ID and name ('' outside pods); IsInfra for a pod's infra container. */
  Pod?: string;
  PodName?: string;
  IsInfra?: boolean;
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
  /** The ID of the pod the container belongs to; "" for none (Podman's field). */
  Pod?: string;
  Driver: string;
  OCIRuntime: string;
  MountLabel: string;
  ProcessLabel: string;
  AppArmorProfile: string;
  /** The capabilities the container's process starts with, and its bounding set (Podman's fields). */
  EffectiveCaps: string[];
  BoundingCaps: string[];
  /** The seccomp profile file given with --security-opt seccomp=FILE; "unconfined"; "" for the built-in default. */
  SeccompProfilePath: string;
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
    /** The command line that created the container; --sdnotify's mode (Podman's fields). */
    CreateCommand?: string[];
    SdNotifyMode?: string;
    StopTimeout?: number;
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
    Devices: { PathOnHost: string; PathInContainer: string; CgroupPermissions: string }[];
    DeviceCgroupRules: string[];
    GroupAdd: string[];
    Memory: number;
    MemorySwap: number;
    NanoCpus: number;
    CpuShares: number;
    PidsLimit: number;
    Init: boolean;
    Binds: string[];
    Tmpfs: Record<string, string>;
    PortBindings?: Record<string, { HostIp: string; HostPort: string }[]>;
    PublishAllPorts?: boolean;
    Dns?: string[];
    DnsSearch?: string[];
    DnsOptions?: string[];
    ExtraHosts?: string[];
    UsernsMode: string;
    IDMappings?: { UidMap: string[]; GidMap: string[] };
    RestartPolicy?: { Name: string; MaximumRetryCount: number };
    LogConfig?: { Type: string; Path: string };
    /** --cgroups: enabled, no-conmon, split or disabled. */
    Cgroups?: string;
  };
  /** conmon's pid file (Podman's field; systemd units use it as PIDFile=). */
  ConmonPidFile?: string;
  /**
   * Selkie's own fields (no Docker or Podman client reads them): LoginUid is the audit login UID of
   * the running container's main process — who started it (null: no login session, e.g. a service).
   */
  Selkie?: { LoginUid: number | null; LoginUser: string };
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
