/**
 * io.podman's Container struct (ListContainers, GetContainer) from the engine's list entry and
 * inspect data: ports and mounts as Podman 1.9 listed them, namespaces as the inode numbers of
 * the running container's /proc/PID/ns links.
 */
import fs from 'node:fs';
import type { ContainerInfo, ContainerInspect } from '../../types/container.js';
import { goDuration, rfc3339 } from './go-format.js';

export interface PodmanContainer {
  id: string;
  image: string;
  imageid: string;
  command: string[];
  createdat: string;
  runningfor: string;
  status: string;
  ports: { host_port: string; host_ip: string; protocol: string; container_port: string }[];
  rootfssize: number;
  rwsize: number;
  names: string;
  labels: Record<string, string>;
  mounts: { destination: string; type: string; source: string; options: string[] }[];
  containerrunning: boolean;
  namespaces: Record<'user' | 'uts' | 'pidns' | 'pid' | 'cgroup' | 'net' | 'mnt' | 'ipc', string>;
}

export function podmanContainer(info: ContainerInfo, inspect: ContainerInspect | undefined, now = Date.now()): PodmanContainer {
  return {
    id: info.Id,
    image: info.Image,
    imageid: info.ImageID,
    command: info.Command,
    createdat: rfc3339(info.Created),
    runningfor: goDuration(now - info.Created * 1000),
    status: info.Status,
    ports: inspect ? ports(inspect.NetworkSettings) : [],
    rootfssize: 0,
    rwsize: 0,
    names: info.Names[0] ?? '',
    labels: info.Labels ?? {},
    mounts: inspect ? mounts(inspect.Mounts) : [],
    containerrunning: info.State === 'running',
    namespaces: namespaces(info.State === 'running' || info.State === 'paused' ? info.Pid : 0),
  };
}

/** Docker's NetworkSettings.Ports: {"80/tcp": [{HostIp, HostPort}]} → one mapping per binding. */
export function ports(settings: Record<string, unknown> | undefined): PodmanContainer['ports'] {
  const bound = settings?.Ports;
  if (!bound || typeof bound !== 'object') return [];
  const out: PodmanContainer['ports'] = [];
  for (const [key, bindings] of Object.entries(bound as Record<string, unknown>)) {
    const [containerPort = '', protocol = 'tcp'] = key.split('/');
    if (!Array.isArray(bindings)) continue;
    for (const b of bindings as { HostIp?: string; HostPort?: string }[]) {
      out.push({ host_port: b.HostPort ?? '', host_ip: b.HostIp ?? '', protocol, container_port: containerPort });
    }
  }
  return out;
}

/** Docker's Mounts entries (Type, Source, Destination, Mode/Options, RW) → Podman's ContainerMount. */
export function mounts(list: unknown[] | undefined): PodmanContainer['mounts'] {
  const out: PodmanContainer['mounts'] = [];
  for (const m of list ?? []) {
    if (!m || typeof m !== 'object') continue;
    const r = m as { Type?: string; Source?: string; Destination?: string; Options?: string[]; Mode?: string; RW?: boolean };
    const options = Array.isArray(r.Options) ? r.Options : [r.RW === false ? 'ro' : 'rw', ...(r.Mode ? r.Mode.split(',').filter(Boolean) : [])];
    out.push({ destination: r.Destination ?? '', type: r.Type ?? '', source: r.Source ?? '', options });
  }
  return out;
}

const nsLinks = { user: 'user', uts: 'uts', pidns: 'pid', cgroup: 'cgroup', net: 'net', mnt: 'mnt', ipc: 'ipc' } as const;

export function namespaces(pid: number): PodmanContainer['namespaces'] {
  const out: PodmanContainer['namespaces'] = { user: '', uts: '', pidns: '', pid: pid > 0 ? String(pid) : '', cgroup: '', net: '', mnt: '', ipc: '' };
  if (pid <= 0) return out;
  for (const [field, link] of Object.entries(nsLinks) as [keyof typeof nsLinks, string][]) {
    try {
      // "net:[4026532008]" → "4026532008"
      out[field] = /\[(\d+)\]/.exec(fs.readlinkSync(`/proc/${pid}/ns/${link}`))?.[1] ?? '';
    } catch {
      // the process exited meanwhile
    }
  }
  return out;
}
