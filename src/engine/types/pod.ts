/** Pod shapes shared by the engine and its clients (Podman-compatible field names). */

/** Namespaces a pod's containers can share with its infra container. */
export type PodNamespace = 'net' | 'ipc' | 'uts' | 'pid' | 'cgroup';

export interface PodCreateOptions {
  name?: string;
  /** Create an infra container that holds the shared namespaces (default true). */
  infra?: boolean;
  infraImage?: string;
  infraName?: string;
  infraCommand?: string[];
  /** Namespaces to share (default net, ipc, uts). */
  share?: PodNamespace[];
  /** -p on the infra container. */
  publish?: string[];
  /** --network for the infra container. */
  network?: string[];
  hostname?: string;
  labels?: Record<string, string>;
  addHosts?: string[];
  dns?: string[];
  cgroupParent?: string;
  /** The command line that created the pod (inspect's CreateCommand). */
  createCommand?: string[];
  /** --infra-conmon-pidfile: each start of the infra container writes its conmon's PID here. */
  infraConmonPidFile?: string;
  /** --exit-policy: `stop` stops the infra container once the pod's last other container exited (default continue). */
  exitPolicy?: PodExitPolicy;
  /** --replace: a pod holding the name is removed first (as pod rm -f). */
  replace?: boolean;
}

export type PodExitPolicy = 'continue' | 'stop';

export type PodStatus = 'Created' | 'Running' | 'Degraded' | 'Paused' | 'Stopped' | 'Exited' | 'Error';

export interface PodContainerSummary {
  Id: string;
  Names: string;
  Status: string;
}

/** `pod ps --format json`, as Podman prints it. */
export interface PodSummary {
  Id: string;
  Name: string;
  Status: PodStatus;
  Created: string;
  InfraId: string;
  Labels: Record<string, string>;
  Networks: string[];
  Cgroup: string;
  Namespace: string;
  Containers: PodContainerSummary[];
}

/** `pod inspect`, as Podman prints it. */
export interface PodInspect {
  Id: string;
  Name: string;
  Created: string;
  CreateCommand: string[];
  ExitPolicy: string;
  State: PodStatus;
  Hostname: string;
  Labels: Record<string, string>;
  CreateCgroup: boolean;
  CgroupParent: string;
  CgroupPath: string;
  CreateInfra: boolean;
  InfraContainerId: string;
  InfraConfig?: {
    PortBindings: Record<string, { HostIp: string; HostPort: string }[]>;
    HostNetwork: boolean;
    StaticIP: string;
    StaticMAC: string;
    NoManageResolvConf: boolean;
    DNSServer: string[];
    NoManageHosts: boolean;
    HostAdd: string[];
    Networks: string[];
    pid_ns: string;
    userns: string;
    uts_ns: string;
  };
  SharedNamespaces: PodNamespace[];
  NumContainers: number;
  Containers: { Id: string; Name: string; State: string }[];
}

export interface PodPruneReport {
  removed: string[];
  errors: { id: string; message: string }[];
}

/** Per-pod result of an action on all its containers (start, stop, kill, ...): errors by container. */
export interface PodActionReport {
  id: string;
  errors: { container: string; message: string }[];
}
