/** A container record as clients see it: the `ps` summary and the Docker-compatible inspect JSON. */
import { formatIdMap } from './id-mappings.js';
import type { ContainerInfo, ContainerInspect } from '../types/container.js';
import type { ContainerRecord } from './container-record.js';
import { securityView } from './security-view.js';
import { humanDuration } from '../util/human-duration.js';
import { netConfigOf } from '../network/container-network-config.js';
import { portBindings } from '../network/port-mappings.js';

const iso = (ms: number) => (ms ? new Date(ms).toISOString() : '0001-01-01T00:00:00Z');

export function statusText(c: ContainerRecord, now = Date.now()): string {
  switch (c.state) {
    case 'running':
      return `Up ${humanDuration((now - c.startedAt) / 1000)}`;
    case 'paused':
      return `Up ${humanDuration((now - c.startedAt) / 1000)} (Paused)`;
    case 'exited':
    case 'stopped':
      return `Exited (${c.exitCode}) ${humanDuration((now - c.finishedAt) / 1000)} ago`;
    case 'created':
      return 'Created';
    case 'removing':
      return 'Removal In Progress';
    default:
      return c.state;
  }
}

export function toInfo(c: ContainerRecord): ContainerInfo {
  return {
    Id: c.id,
    Names: [c.name],
    Image: c.config.imageName,
    ImageID: `sha256:${c.config.imageId}`,
    Command: c.config.args,
    Created: Math.floor(c.created / 1000),
    State: c.state,
    Status: statusText(c),
    ExitCode: c.exitCode,
    Pid: c.pid,
    Labels: c.config.labels,
    StartedAt: Math.floor(c.startedAt / 1000),
    ExitedAt: Math.floor(c.finishedAt / 1000),
    Ports: (netConfigOf(c.config)?.ports ?? []).map((p) => ({ host_ip: p.hostIp, container_port: p.containerPort, host_port: p.hostPort, range: 1, protocol: p.protocol })),
    Networks: netConfigOf(c.config)?.networks.map((n) => n.name) ?? [],
    Pod: c.config.pod?.id ?? '',
    PodName: c.config.pod?.name ?? '',
    IsInfra: Boolean(c.config.pod?.infra),
  };
}

export function toInspect(c: ContainerRecord, driver: string, networkSettings: Record<string, unknown> = { Networks: {} }): ContainerInspect {
  const net = netConfigOf(c.config);
  const cfg = c.config;
  const running = c.state === 'running' || c.state === 'paused';
  return {
    Id: c.id,
    Created: iso(c.created),
    Path: cfg.args[0] ?? '',
    Args: cfg.args.slice(1),
    Pod: cfg.pod?.id ?? '',
    State: {
      Status: c.state === 'stopped' ? 'exited' : c.state,
      Running: c.state === 'running',
      Paused: c.state === 'paused',
      Restarting: false,
      OOMKilled: false,
      Dead: c.state === 'dead',
      Pid: running ? c.pid : 0,
      ConmonPid: running ? c.conmonPid : 0,
      ExitCode: c.exitCode,
      Error: c.error,
      StartedAt: iso(c.startedAt),
      FinishedAt: iso(c.finishedAt),
    },
    Image: `sha256:${cfg.imageId}`,
    ImageName: cfg.imageName,
    Name: c.name,
    RestartCount: 0,
    Driver: driver,
    OCIRuntime: cfg.runtimeName,
    ...securityView(c),
    Config: {
      Hostname: cfg.hostname,
      User: cfg.user,
      Env: cfg.env,
      Cmd: cfg.cmd,
      Entrypoint: cfg.entrypoint,
      Image: cfg.imageName,
      WorkingDir: cfg.workdir,
      Labels: cfg.labels,
      Tty: cfg.tty,
      OpenStdin: cfg.stdin,
      StopSignal: cfg.stopSignal,
      Annotations: cfg.annotations,
      CreateCommand: cfg.createCommand ?? [],
      StopTimeout: cfg.stopTimeout,
      SdNotifyMode: cfg.sdNotifyMode ?? 'ignore',
    },
    HostConfig: {
      AutoRemove: cfg.autoRemove,
      NetworkMode: cfg.network,
      PortBindings: portBindings(net?.ports ?? []),
      Dns: net?.dns ?? [],
      DnsSearch: net?.dnsSearch ?? [],
      DnsOptions: net?.dnsOptions ?? [],
      ExtraHosts: net?.extraHosts ?? [],
      Runtime: cfg.runtimeName,
      CapAdd: cfg.capAdd ?? [],
      CapDrop: cfg.capDrop ?? [],
      Privileged: Boolean(cfg.privileged),
      ReadonlyRootfs: Boolean(cfg.readOnly),
      Ulimits: (cfg.ulimits ?? []).map((u) => ({ Name: u.type, Soft: u.soft, Hard: u.hard })),
      Sysctls: cfg.sysctls ?? {},
      ShmSize: cfg.shmSize ?? 65536 * 1024,
      SecurityOpt: cfg.security?.display ?? (cfg.noNewPrivileges ? ['no-new-privileges'] : []),
      Devices: (cfg.devices ?? []).map((d) => ({ PathOnHost: d.pathOnHost, PathInContainer: d.pathInContainer, CgroupPermissions: d.permissions })),
      DeviceCgroupRules: cfg.deviceCgroupRules ?? [],
      GroupAdd: cfg.groupAdd ?? [],
      Memory: cfg.memory ?? 0,
      MemorySwap: cfg.memorySwap ?? 0,
      NanoCpus: Math.round((cfg.cpus ?? 0) * 1e9),
      CpuShares: cfg.cpuShares ?? 0,
      PidsLimit: cfg.pidsLimit ?? 0,
      Init: Boolean(cfg.init),
      RestartPolicy: { Name: cfg.restartPolicy?.name ?? 'no', MaximumRetryCount: cfg.restartPolicy?.maximumRetryCount ?? 0 },
      LogConfig: { Type: cfg.logDriver, Path: cfg.logDriver === 'k8s-file' ? cfg.logPath : '' },
      Cgroups: cfg.cgroupsMode ?? 'enabled',
      UsernsMode: cfg.idMappings ? 'private' : '',
      ...(cfg.idMappings ? { IDMappings: { UidMap: formatIdMap(cfg.idMappings.uidMap), GidMap: formatIdMap(cfg.idMappings.gidMap) } } : {}),
      Binds: (cfg.mounts ?? []).filter((m) => m.type === 'bind' || (m.type === 'volume' && !m.anonymous)).map((m) => `${m.type === 'volume' ? m.name : m.source}:${m.destination}${m.options.includes('ro') ? ':ro' : ''}`),
      Tmpfs: Object.fromEntries((cfg.mounts ?? []).filter((m) => m.type === 'tmpfs').map((m) => [m.destination, m.options.join(',')])),
    },
    Mounts: (cfg.mounts ?? []).map((m) => ({
      Type: m.type,
      ...(m.type === 'volume' ? { Name: m.name } : {}),
      Source: m.source,
      Destination: m.destination,
      ...(m.type === 'volume' ? { Driver: 'local' } : {}),
      Mode: '',
      RW: !m.options.includes('ro'),
      Propagation: m.type === 'tmpfs' ? '' : (m.options.find((o) => /^r?(private|shared|slave)$/.test(o)) ?? 'rprivate'),
      Options: m.options,
    })),
    NetworkSettings: networkSettings,
  };
}
