/** A container as the state database keeps it. */
import type { ContainerStatus } from '../types/container.js';
import type { ContainerMount } from './mount-flags.js';

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
  logDriver: 'k8s-file' | 'none';
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
