/**
 * The parts of the OCI runtime specification (config.json, `state` output) that Selkie writes or
 * reads. Field names follow the spec exactly; optional fields are left out of the JSON when unset.
 */
import type { OciSeccomp } from './seccomp-profile.js';

export type { OciSeccomp } from './seccomp-profile.js';

export interface OciSpec {
  ociVersion: string;
  process: OciProcess;
  root: { path: string; readonly?: boolean };
  hostname?: string;
  mounts: OciMount[];
  annotations?: Record<string, string>;
  linux: OciLinux;
}

export interface OciProcess {
  terminal: boolean;
  user: { uid: number; gid: number; umask?: number; additionalGids?: number[] };
  args: string[];
  env: string[];
  cwd: string;
  capabilities: OciCapabilities;
  rlimits: OciRlimit[];
  noNewPrivileges: boolean;
  oomScoreAdj?: number;
  apparmorProfile?: string;
  selinuxLabel?: string;
}

export interface OciCapabilities {
  bounding: string[];
  effective: string[];
  permitted: string[];
  inheritable: string[];
  ambient: string[];
}

export interface OciRlimit {
  type: string; // RLIMIT_NOFILE, ...
  soft: number;
  hard: number;
}

export interface OciMount {
  destination: string;
  type: string;
  source: string;
  options?: string[];
}

export type OciNamespaceType = 'pid' | 'network' | 'ipc' | 'uts' | 'mount' | 'cgroup' | 'user';

export interface OciNamespace {
  type: OciNamespaceType;
  path?: string;
}

export interface OciDeviceRule {
  allow: boolean;
  type?: 'a' | 'c' | 'b';
  major?: number;
  minor?: number;
  access?: string;
}

/** A device node the runtime creates in the container. */
export interface OciDevice {
  path: string;
  type: 'c' | 'b' | 'u' | 'p';
  major: number;
  minor: number;
  fileMode?: number;
  uid?: number;
  gid?: number;
}

export interface OciResources {
  devices?: OciDeviceRule[];
  pids?: { limit: number };
  memory?: { limit?: number; reservation?: number; swap?: number };
  cpu?: { shares?: number; quota?: number; period?: number };
}

export interface OciLinux {
  namespaces: OciNamespace[];
  maskedPaths?: string[];
  readonlyPaths?: string[];
  cgroupsPath?: string;
  resources: OciResources;
  sysctl?: Record<string, string>;
  mountLabel?: string;
  uidMappings?: OciIdMapping[];
  gidMappings?: OciIdMapping[];
  devices?: OciDevice[];
  seccomp?: OciSeccomp;
}

/** Container IDs [containerID, containerID+size) are host IDs [hostID, hostID+size). */
export interface OciIdMapping {
  containerID: number;
  hostID: number;
  size: number;
}

/** What `runtime state ID` prints. */
export interface OciState {
  ociVersion: string;
  id: string;
  status: 'creating' | 'created' | 'running' | 'stopped' | 'paused' | string;
  pid: number;
  bundle: string;
  annotations?: Record<string, string>;
  /** runc and crun add these. */
  rootfs?: string;
  created?: string;
  owner?: string;
}
