/**
 * The filesystems every container gets (as Podman sets them up), the paths it masks or makes
 * read-only, and how caller-supplied mounts are merged in: a caller's mount at a default's destination
 * replaces the default, and parents are mounted before their children.
 */
import path from 'node:path';
import type { OciMount } from './oci-types.js';

export interface SpecMount {
  destination: string;
  source: string;
  /** Default "bind". */
  type?: string;
  /** For binds, "rbind" and "rprivate" are added unless a bind or propagation option is given. */
  options?: string[];
}

export interface DefaultMountOptions {
  /** Bytes; default 64 MiB. */
  shmSize?: number;
  /** --privileged: /sys and /sys/fs/cgroup writable. */
  privileged?: boolean;
  /** Read-only root: tmpfs on /tmp, /var/tmp and /run, as Podman's read_only_tmpfs. */
  readonlyRootTmpfs?: boolean;
  /**
   * The container has a user namespace that does not own its network (or IPC) namespace — a netns
   * made beforehand, the host's, a pod's: the kernel refuses a new sysfs (mqueue) mount there, so the
   * host's /sys (/dev/mqueue) is bind-mounted instead, as Podman does.
   */
  bindSys?: boolean;
  bindMqueue?: boolean;
}

export function defaultMounts(opts: DefaultMountOptions = {}): OciMount[] {
  const shm = `size=${Math.floor((opts.shmSize ?? 64 * 1024 * 1024) / 1024)}k`;
  const sysMode = opts.privileged ? 'rw' : 'ro';
  const mounts: OciMount[] = [
    { destination: '/proc', type: 'proc', source: 'proc', options: ['nosuid', 'noexec', 'nodev'] },
    { destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'noexec', 'strictatime', 'mode=755', 'size=65536k'] },
    {
      destination: '/dev/pts',
      type: 'devpts',
      source: 'devpts',
      options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5'],
    },
    { destination: '/dev/shm', type: 'tmpfs', source: 'shm', options: ['nosuid', 'noexec', 'nodev', 'mode=1777', shm] },
    opts.bindMqueue
      ? { destination: '/dev/mqueue', type: 'bind', source: '/dev/mqueue', options: ['bind', 'nosuid', 'noexec', 'nodev'] }
      : { destination: '/dev/mqueue', type: 'mqueue', source: 'mqueue', options: ['nosuid', 'noexec', 'nodev'] },
    opts.bindSys
      ? { destination: '/sys', type: 'bind', source: '/sys', options: ['rbind', 'nosuid', 'noexec', 'nodev', 'ro'] }
      : { destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev', sysMode] },
    {
      destination: '/sys/fs/cgroup',
      type: 'cgroup',
      source: 'cgroup',
      options: ['rprivate', 'nosuid', 'noexec', 'nodev', 'relatime', sysMode],
    },
  ];
  if (opts.readonlyRootTmpfs) {
    for (const d of ['/tmp', '/var/tmp']) {
      mounts.push({ destination: d, type: 'tmpfs', source: 'tmpfs', options: ['rw', 'rprivate', 'nosuid', 'nodev', 'tmpcopyup'] });
    }
    mounts.push({ destination: '/run', type: 'tmpfs', source: 'tmpfs', options: ['rw', 'rprivate', 'nosuid', 'nodev', 'tmpcopyup'] });
  }
  return mounts;
}

/** Podman's defaults (containers/common): kernel files a container must not read or write. */
export const MASKED_PATHS = [
  '/proc/acpi',
  '/proc/kcore',
  '/proc/keys',
  '/proc/latency_stats',
  '/proc/timer_list',
  '/proc/timer_stats',
  '/proc/sched_debug',
  '/proc/scsi',
  '/sys/firmware',
  '/sys/fs/selinux',
  '/sys/dev/block',
];

export const READONLY_PATHS = ['/proc/asound', '/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'];

const PROPAGATION = ['private', 'rprivate', 'shared', 'rshared', 'slave', 'rslave', 'unbindable', 'runbindable'];

export function toOciMount(m: SpecMount): OciMount {
  const type = m.type ?? 'bind';
  let options = [...(m.options ?? [])];
  if (type === 'bind') {
    if (!options.includes('bind') && !options.includes('rbind')) options = ['rbind', ...options];
    if (!options.some((o) => PROPAGATION.includes(o))) options.push('rprivate');
  }
  return { destination: path.posix.normalize(m.destination), type, source: m.source, options };
}

/** Defaults first (minus those the caller replaces), then the caller's mounts, parents before children. */
export function mergeMounts(defaults: OciMount[], extra: readonly SpecMount[]): OciMount[] {
  const mine = extra.map(toOciMount);
  const taken = new Set(mine.map((m) => m.destination));
  const depth = (m: OciMount) => m.destination.split('/').filter(Boolean).length;
  const sorted = mine.map((m, i) => ({ m, i })).sort((a, b) => depth(a.m) - depth(b.m) || a.i - b.i);
  return [...defaults.filter((d) => !taken.has(d.destination)), ...sorted.map((x) => x.m)];
}
