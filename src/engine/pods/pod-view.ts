/** Pod records and their containers as `pod ps` and `pod inspect` print them (Podman's fields). */
import type { ContainerRecord } from '../containers/container-record.js';
import type { PodInspect, PodSummary } from '../types/pod.js';
import type { PodRecord } from './pod-store.js';
import { podStatus } from './pod-status.js';

const iso = (ms: number) => new Date(ms).toISOString();

/** Members in the order Podman lists them: the infra container first, then by creation. */
function ordered(pod: PodRecord, members: ContainerRecord[]): ContainerRecord[] {
  return [...members].sort((a, b) => (a.id === pod.infraId ? -1 : b.id === pod.infraId ? 1 : a.created - b.created));
}

export function podSummary(pod: PodRecord, members: ContainerRecord[]): PodSummary {
  const list = ordered(pod, members);
  return {
    Id: pod.id,
    Name: pod.name,
    Status: podStatus(list.map((c) => c.state)),
    Created: iso(pod.created),
    InfraId: pod.infraId ?? '',
    Labels: pod.config.labels,
    Networks: pod.config.network.length ? pod.config.network : pod.config.infra ? ['selkie'] : [],
    Cgroup: pod.config.cgroupParent,
    Namespace: '',
    Containers: list.map((c) => ({ Id: c.id, Names: c.name, Status: c.state === 'stopped' ? 'exited' : c.state })),
  };
}

export function podInspect(pod: PodRecord, members: ContainerRecord[]): PodInspect {
  const list = ordered(pod, members);
  const cfg = pod.config;
  const ports: Record<string, { HostIp: string; HostPort: string }[]> = {};
  for (const p of cfg.publish) {
    const m = /^(?:(\d+\.\d+\.\d+\.\d+):)?(?:(\d*):)?(\d+)(?:\/(tcp|udp))?$/.exec(p);
    if (m) ports[`${m[3]}/${m[4] ?? 'tcp'}`] = [{ HostIp: m[1] ?? '', HostPort: m[2] ?? '' }];
  }
  return {
    Id: pod.id,
    Name: pod.name,
    Created: iso(pod.created),
    CreateCommand: cfg.createCommand,
    ExitPolicy: cfg.exitPolicy ?? 'continue',
    State: podStatus(list.map((c) => c.state)),
    Hostname: cfg.hostname,
    Labels: cfg.labels,
    CreateCgroup: true,
    CgroupParent: cfg.cgroupParent || '/selkie',
    CgroupPath: `${cfg.cgroupParent || '/selkie'}/${pod.id}`,
    CreateInfra: cfg.infra,
    InfraContainerId: pod.infraId ?? '',
    ...(cfg.infra
      ? {
          InfraConfig: {
            PortBindings: ports,
            HostNetwork: cfg.network.includes('host'),
            StaticIP: '',
            StaticMAC: '',
            NoManageResolvConf: false,
            DNSServer: cfg.dns,
            NoManageHosts: false,
            HostAdd: cfg.addHosts,
            Networks: cfg.network.length ? cfg.network : ['selkie'],
            pid_ns: cfg.share.includes('pid') ? 'pod' : 'private',
            userns: 'host',
            uts_ns: cfg.share.includes('uts') ? 'pod' : 'private',
          },
        }
      : {}),
    SharedNamespaces: cfg.share,
    NumContainers: list.length,
    Containers: list.map((c) => ({ Id: c.id, Name: c.name, State: c.state === 'stopped' ? 'exited' : c.state })),
  };
}
