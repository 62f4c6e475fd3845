/**
 * How a pod's container joins the namespaces its pod shares: the infra container holds them, so the
 * container's spec names the infra's /proc/PID/ns/TYPE files (the network namespace goes through the
 * network code as `container:INFRA`). The infra runs before its members: starting a member starts it.
 */
import { SelkieError } from '../errors.js';
import type { ContainerRecord } from '../containers/container-record.js';
import type { NamespaceMode } from '../runtime/oci-spec.js';
import type { PodNamespace } from '../types/pod.js';

/** What a member container records about its pod (ContainerConfig.pod). */
export interface PodMembership {
  id: string;
  name: string;
  share: PodNamespace[];
  /** The infra container's ID; null for a pod without infra (nothing is shared then). */
  infraId: string | null;
  /** True for the infra container itself. */
  infra?: boolean;
}

export interface PodNamespaceModes {
  pidNamespace?: NamespaceMode;
  ipcNamespace?: NamespaceMode;
  utsNamespace?: NamespaceMode;
  cgroupNamespace?: NamespaceMode;
}

/**
 * The namespaces to join for a member of a pod whose infra container is `infra` (running). Empty for
 * the infra itself and for containers outside pods.
 */
export function podNamespaces(pod: PodMembership | undefined, infra: ContainerRecord | undefined): PodNamespaceModes {
  if (!pod || pod.infra || !pod.infraId) return {};
  if (!infra || infra.state !== 'running' || infra.pid <= 0) {
    throw new SelkieError('conflict', `the infra container of pod ${pod.name} is not running`, { hint: `start the pod: selkie pod start ${pod.name}` });
  }
  const join = (ns: PodNamespace, file: string): NamespaceMode | undefined => (pod.share.includes(ns) ? { path: `/proc/${infra.pid}/ns/${file}` } : undefined);
  const modes: PodNamespaceModes = {};
  const pid = join('pid', 'pid');
  const ipc = join('ipc', 'ipc');
  const uts = join('uts', 'uts');
  const cgroup = join('cgroup', 'cgroup');
  if (pid) modes.pidNamespace = pid;
  if (ipc) modes.ipcNamespace = ipc;
  if (uts) modes.utsNamespace = uts;
  if (cgroup) modes.cgroupNamespace = cgroup;
  return modes;
}
