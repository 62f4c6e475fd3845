/**
 * The OCI runtime configuration (config.json) for a container, with Podman's defaults: capabilities,
 * rlimits clamped to the caller's hard limits, the standard /proc /dev /sys mounts, masked and
 * read-only kernel paths, and private namespaces. A pure function of its input and the host facts
 * (hostFacts() reads them from procfs when the caller does not pass them).
 */
import { invalid } from '../errors.js';
import { resolveCapabilities } from './capabilities.js';
import { defaultMounts, mergeMounts, MASKED_PATHS, READONLY_PATHS, type SpecMount } from './default-mounts.js';
import { hostFacts, type HostFacts } from './host-facts.js';
import type { OciLinux, OciNamespace, OciRlimit, OciSpec } from './oci-types.js';
import { resolveRlimits } from './rlimits.js';

export type { SpecMount } from './default-mounts.js';

/** A namespace the container gets a new one of ('private'), shares with the host, or joins by path. */
export type NamespaceMode = 'private' | 'host' | { path: string };
export type NetworkNamespace = 'new' | 'host' | { path: string };

export interface SpecInput {
  args: string[];
  env: string[];
  /** Default "/". */
  cwd?: string;
  uid?: number;
  gid?: number;
  additionalGids?: number[];
  /** Default 0o022. */
  umask?: number;
  terminal?: boolean;
  hostname?: string;
  /** The root filesystem, mounted already. */
  rootfs: string;
  readonly?: boolean;
  /** Bind mounts and others; /etc/hosts, /etc/resolv.conf and /etc/hostname come from the caller. */
  mounts?: SpecMount[];
  networkNamespace?: NetworkNamespace;
  pidNamespace?: NamespaceMode;
  ipcNamespace?: NamespaceMode;
  utsNamespace?: NamespaceMode;
  /** Default: private on cgroup v2 hosts, host on v1 and hybrid ones (as Podman). */
  cgroupNamespace?: NamespaceMode;
  capAdd?: string[];
  capDrop?: string[];
  privileged?: boolean;
  noNewPrivileges?: boolean;
  oomScoreAdj?: number;
  /** --ulimit; replaces the default of the same type. */
  ulimits?: OciRlimit[];
  /** Bytes; default 64 MiB. */
  shmSize?: number;
  pidsLimit?: number;
  /** --memory in bytes; --memory-swap in bytes (memory + swap, -1 unlimited). */
  memoryLimit?: number;
  memorySwap?: number;
  /** --cpus as a fraction of CPUs, applied as a CFS quota over a 100 ms period; --cpu-shares. */
  cpus?: number;
  cpuShares?: number;
  sysctls?: Record<string, string>;
  annotations?: Record<string, string>;
  /** For the cgroupfs manager, e.g. "/selkie/ID". */
  cgroupsPath?: string;
  /** SELinux/AppArmor labels, when the host has them enabled. */
  processLabel?: string;
  mountLabel?: string;
  apparmorProfile?: string;
}

const DEFAULT_PATH = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export function generateSpec(input: SpecInput, host: HostFacts = hostFacts()): OciSpec {
  if (input.args.length === 0) throw invalid('no command given for the container', 'give a command or use an image with an Entrypoint or Cmd');
  if (!input.rootfs) throw invalid('no root filesystem given for the container');
  const uid = input.uid ?? 0;
  const gid = input.gid ?? 0;
  const utsPrivate = (input.utsNamespace ?? 'private') !== 'host';

  const spec: OciSpec = {
    ociVersion: '1.0.2-dev',
    process: {
      terminal: Boolean(input.terminal),
      user: {
        uid,
        gid,
        umask: input.umask ?? 0o022,
        ...(input.additionalGids?.length ? { additionalGids: [...input.additionalGids] } : {}),
      },
      args: [...input.args],
      env: processEnv(input, utsPrivate),
      cwd: input.cwd || '/',
      capabilities: resolveCapabilities({
        capAdd: input.capAdd,
        capDrop: input.capDrop,
        privileged: input.privileged,
        hostBounding: host.boundingCapabilities.length ? host.boundingCapabilities : undefined,
        uid,
      }),
      rlimits: resolveRlimits({ ulimits: input.ulimits, host: host.limits, canRaise: host.canRaiseLimits }),
      noNewPrivileges: Boolean(input.noNewPrivileges),
      ...(input.oomScoreAdj !== undefined ? { oomScoreAdj: input.oomScoreAdj } : {}),
      ...(input.apparmorProfile ? { apparmorProfile: input.apparmorProfile } : {}),
      ...(input.processLabel ? { selinuxLabel: input.processLabel } : {}),
    },
    root: { path: input.rootfs, ...(input.readonly ? { readonly: true } : {}) },
    ...(utsPrivate && input.hostname ? { hostname: input.hostname } : {}),
    mounts: mergeMounts(
      defaultMounts({ shmSize: input.shmSize, privileged: input.privileged, readonlyRootTmpfs: input.readonly }),
      input.mounts ?? [],
    ),
    ...(input.annotations && Object.keys(input.annotations).length ? { annotations: { ...input.annotations } } : {}),
    linux: linuxSection(input, host),
  };
  return spec;
}

function processEnv(input: SpecInput, utsPrivate: boolean): string[] {
  const env = [...input.env];
  const has = (name: string) => env.some((e) => e.startsWith(`${name}=`));
  if (!has('PATH')) env.unshift(DEFAULT_PATH);
  if (input.terminal && !has('TERM')) env.push('TERM=xterm');
  if (utsPrivate && input.hostname && !has('HOSTNAME')) env.push(`HOSTNAME=${input.hostname}`);
  return env;
}

function linuxSection(input: SpecInput, host: HostFacts): OciLinux {
  const network = input.networkNamespace ?? 'new';
  const cgroupDefault: NamespaceMode = host.cgroupLayout === 'v2' ? 'private' : 'host';
  const namespaces: OciNamespace[] = [];
  const add = (type: OciNamespace['type'], mode: NamespaceMode) => {
    if (mode === 'host') return;
    namespaces.push(mode === 'private' ? { type } : { type, path: mode.path });
  };
  add('pid', input.pidNamespace ?? 'private');
  add('network', network === 'new' ? 'private' : network);
  add('ipc', input.ipcNamespace ?? 'private');
  add('uts', input.utsNamespace ?? 'private');
  namespaces.push({ type: 'mount' });
  add('cgroup', input.cgroupNamespace ?? cgroupDefault);

  const sysctl: Record<string, string> = {};
  // Podman's default: unprivileged ICMP sockets for root in the container, only in a private netns.
  if (network !== 'host') sysctl['net.ipv4.ping_group_range'] = '0 0';
  Object.assign(sysctl, input.sysctls ?? {});

  return {
    namespaces,
    ...(input.privileged ? {} : { maskedPaths: [...MASKED_PATHS], readonlyPaths: [...READONLY_PATHS] }),
    ...(input.cgroupsPath ? { cgroupsPath: input.cgroupsPath } : {}),
    // Deny every device, then the runtime adds its default allow list (null, zero, tty, ...).
    // Privileged containers may use any device (adding the host's device nodes is the caller's part).
    resources: {
      devices: [{ allow: Boolean(input.privileged), access: 'rwm' }],
      ...(input.pidsLimit !== undefined && input.pidsLimit > 0 ? { pids: { limit: input.pidsLimit } } : {}),
      ...(input.memoryLimit ? { memory: { limit: input.memoryLimit, ...(input.memorySwap ? { swap: input.memorySwap } : {}) } } : {}),
      ...(input.cpus || input.cpuShares
        ? { cpu: { ...(input.cpuShares ? { shares: input.cpuShares } : {}), ...(input.cpus ? { quota: Math.round(input.cpus * 100_000), period: 100_000 } : {}) } }
        : {}),
    },
    ...(Object.keys(sysctl).length ? { sysctl } : {}),
    ...(input.mountLabel ? { mountLabel: input.mountLabel } : {}),
  };
}
