/** A container as the state database keeps it. */
import type { ContainerStatus } from '../types/container.js';
import type { ContainerMount } from './mount-flags.js';
import type { DeviceMapping } from './device-options.js';
import type { SecurityOptions } from './security-options.js';
import type { IdMappings } from './id-mappings.js';
import type { PodMembership } from '../pods/pod-namespaces.js';
import type { SdNotifyMode } from '../systemd/sd-notify.js';
import type { RestartPolicy } from '../systemd/restart-policy.js';
import type { CgroupsMode } from '../systemd/cgroups-mode.js';

/** Everything fixed at create time (the `spec` column, JSON). */
export interface ContainerConfig {
  /** The image as the user named it. */
  imageName: string;
  imageId: string;
  /** Entrypoint and Cmd after combining the image's with the command line. */
  entrypoint: string[] | null;
  cmd: string[] | null;
  /** The process's argv: entrypoint + cmd. */
  args: string[];
  env: string[];
  workdir: string;
  user: string;
  hostname: string;
  tty: boolean;
  stdin: boolean;
  autoRemove: boolean;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  network: string;
  stopSignal: string;
  stopTimeout: number;
  /** Path of the OCI runtime binary chosen at create time, and its name (runc, crun). */
  runtimePath: string;
  runtimeName: string;
  logDriver: 'k8s-file' | 'none' | 'journald';
  logPath: string;
  /** Security and resource settings (absent in records made before they existed). */
  capAdd?: string[];
  capDrop?: string[];
  privileged?: boolean;
  readOnly?: boolean;
  ulimits?: { type: string; soft: number; hard: number }[];
  sysctls?: Record<string, string>;
  shmSize?: number;
  noNewPrivileges?: boolean;
  mounts?: ContainerMount[];
  memory?: number;
  memorySwap?: number;
  cpus?: number;
  cpuShares?: number;
  pidsLimit?: number;
  init?: boolean;
  /** --security-opt, parsed (seccomp, labels, apparmor, mask/unmask); absent in older records. */
  security?: SecurityOptions;
  /** --device, --device-cgroup-rule, --group-add as given (checked at create). */
  devices?: DeviceMapping[];
  deviceCgroupRules?: string[];
  groupAdd?: string[];
  /** User-namespace mappings (--uidmap/--gidmap/--subuidname/--subgidname); absent: the host's. */
  idMappings?: IdMappings;
  /** The pod the container belongs to (absent: none). */
  pod?: PodMembership;
  /** systemd integration (src/engine/systemd/); absent in older records: ignore, no, none, enabled. */
  sdNotifyMode?: SdNotifyMode;
  restartPolicy?: RestartPolicy;
  createCommand?: string[];
  cgroupsMode?: CgroupsMode;
  /** --conmon-pidfile (a pod's --infra-conmon-pidfile): written with conmon's PID on each start. */
  conmonPidFile?: string;
}

export interface ContainerRecord {
  id: string;
  name: string;
  created: number; // unix milliseconds
  config: ContainerConfig;
  state: ContainerStatus;
  pid: number;
  conmonPid: number;
  exitCode: number;
  startedAt: number; // unix ms, 0 = never
  finishedAt: number; // unix ms, 0 = never
  error: string;
}
