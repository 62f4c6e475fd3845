/**
 * The OCI runtime configuration (config.json) for a container, with Podman's defaults: capabilities,
 * rlimits clamped to the caller's hard limits, the standard /proc /dev /sys mounts, masked and
 * read-only kernel paths, and private namespaces. A pure function of its input and the host facts
 * (hostFacts() reads them from procfs when the caller does not pass them).
 */
import { invalid } from '../errors.js';
import { isRootless } from '../config/paths.js';
import { rootlessSpecChanges } from './rootless-spec.js';
import { resolveCapabilities } from './capabilities.js';
import { defaultMounts, mergeMounts, MASKED_PATHS, READONLY_PATHS, type SpecMount } from './default-mounts.js';
import { hostFacts, type HostFacts } from './host-facts.js';
import type { OciDevice, OciDeviceRule, OciIdMapping, OciLinux, OciNamespace, OciRlimit, OciSeccomp, OciSpec } from './oci-types.js';
import { resolveRlimits } from './rlimits.js';
import { defaultSeccompProfile } from './seccomp-default.js';
import { resolveSeccomp, type SeccompProfile } from './seccomp-profile.js';

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
  /** A private user namespace with these mappings; absent: the host's user namespace. */
  idMappings?: { uidMap: OciIdMapping[]; gidMap: OciIdMapping[] };
  /** Seccomp: absent = the built-in default profile, null = unconfined, or a loaded profile file. */
  seccomp?: SeccompProfile | null;
  /** Device nodes (--device) and the device-cgroup rules (--device, --device-cgroup-rule) to allow. */
  devices?: OciDevice[];
  deviceRules?: OciDeviceRule[];
  /** --security-opt mask=/unmask= ("ALL" unmasks every default path). */
  mask?: string[];
  unmask?: string[];
  /** SELinux/AppArmor labels, when the host has them enabled. */
  processLabel?: string;
  mountLabel?: string;
  apparmorProfile?: string;
  /** Inside the rootless user's namespace (default: isRootless()): no cgroups, /sys bound when the netns is not ours. */
  rootless?: boolean;
}

const DEFAULT_PATH = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export function generateSpec(input: SpecInput, host: HostFacts = hostFacts()): OciSpec {
  if (input.args.length === 0) throw invalid('no command given for the container', 'give a command or use an image with an Entrypoint or Cmd');
  if (!input.rootfs) throw invalid('no root filesystem given for the container');
  const uid = input.uid ?? 0;
  const gid = input.gid ?? 0;
  const rootless = input.rootless ?? isRootless();
  if (rootless) {
    input = rootlessSpecChanges(input);
    host = { ...host, canRaiseLimits: false }; // CAP_SYS_RESOURCE in the user's namespace raises nothing
  }
  const utsPrivate = (input.utsNamespace ?? 'private') !== 'host';
  const capabilities = resolveCapabilities({
    capAdd: input.capAdd,
    capDrop: input.capDrop,
    privileged: input.privileged,
    hostBounding: host.boundingCapabilities.length ? host.boundingCapabilities : undefined,
    uid,
  });

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
      capabilities,
      rlimits: resolveRlimits({ ulimits: input.ulimits, host: host.limits, canRaise: host.canRaiseLimits }),
      noNewPrivileges: Boolean(input.noNewPrivileges),
      ...(input.oomScoreAdj !== undefined ? { oomScoreAdj: input.oomScoreAdj } : {}),
      ...(input.apparmorProfile ? { apparmorProfile: input.apparmorProfile } : {}),
      ...(input.processLabel ? { selinuxLabel: input.processLabel } : {}),
    },
    root: { path: input.rootfs, ...(input.readonly ? { readonly: true } : {}) },
    // Only a new UTS namespace takes a hostname; one joined (a pod's) keeps the hostname it has.
    ...((input.utsNamespace ?? 'private') === 'private' && input.hostname ? { hostname: input.hostname } : {}),
    mounts: mergeMounts(
      defaultMounts({
        shmSize: input.shmSize,
        privileged: input.privileged,
        readonlyRootTmpfs: input.readonly,
        // Rootless: namespaces joined by path were made in the user's namespace, so sysfs/mqueue mount there.
        bindSys: rootless ? input.networkNamespace === 'host' : Boolean(input.idMappings) && (input.networkNamespace ?? 'new') !== 'new',
        bindMqueue: rootless ? input.ipcNamespace === 'host' : Boolean(input.idMappings) && (input.ipcNamespace ?? 'private') !== 'private',
      }),
      input.mounts ?? [],
    ),
    ...(input.annotations && Object.keys(input.annotations).length ? { annotations: { ...input.annotations } } : {}),
    linux: linuxSection(input, host, capabilities.bounding),
  };
  // Rootless here has no cgroup delegation: the runtime then creates no cgroup only if asked for no resources.
  if (rootless) delete (spec.linux as { resources?: unknown }).resources;
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

/** --privileged and seccomp=unconfined run without a filter; an explicit profile file applies even then. */
function seccompSection(input: SpecInput, bounding: readonly string[]): { seccomp?: OciSeccomp } {
  if (input.seccomp === null) return {};
  if (input.seccomp === undefined && input.privileged) return {};
  return { seccomp: resolveSeccomp(input.seccomp ?? defaultSeccompProfile(), { capabilities: bounding }) };
}

function maskedPaths(input: SpecInput): string[] {
  const unmask = input.unmask ?? [];
  const kept = unmask.includes('ALL') ? [] : MASKED_PATHS.filter((p) => !unmask.includes(p));
  return [...new Set([...kept, ...(input.mask ?? [])])];
}

function linuxSection(input: SpecInput, host: HostFacts, bounding: readonly string[]): OciLinux {
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
  if (input.idMappings) namespaces.push({ type: 'user' });
  add('cgroup', input.cgroupNamespace ?? cgroupDefault);

  const sysctl: Record<string, string> = {};
  // Podman's default: unprivileged ICMP sockets for root in the container, only in a private netns.
  // Not in a user namespace that does not own the netns (one made beforehand): it may not write net sysctls.
  if (network === 'new' || (network !== 'host' && !input.idMappings)) sysctl['net.ipv4.ping_group_range'] = '0 0';
  Object.assign(sysctl, input.sysctls ?? {});

  return {
    namespaces,
    ...(input.privileged ? {} : { maskedPaths: maskedPaths(input), readonlyPaths: [...READONLY_PATHS] }),
    ...(input.cgroupsPath ? { cgroupsPath: input.cgroupsPath } : {}),
    // Deny every device, then the runtime adds its default allow list (null, zero, tty, ...).
    // Privileged containers may use any device (adding the host's device nodes is the caller's part).
    resources: {
      devices: [{ allow: Boolean(input.privileged), access: 'rwm' }, ...(input.privileged ? [] : (input.deviceRules ?? []))],
      ...(input.pidsLimit !== undefined && input.pidsLimit > 0 ? { pids: { limit: input.pidsLimit } } : {}),
      ...(input.memoryLimit ? { memory: { limit: input.memoryLimit, ...(input.memorySwap ? { swap: input.memorySwap } : {}) } } : {}),
      ...(input.cpus || input.cpuShares
        ? { cpu: { ...(input.cpuShares ? { shares: input.cpuShares } : {}), ...(input.cpus ? { quota: Math.round(input.cpus * 100_000), period: 100_000 } : {}) } }
        : {}),
    },
    ...(Object.keys(sysctl).length ? { sysctl } : {}),
    ...(input.mountLabel ? { mountLabel: input.mountLabel } : {}),
    ...(input.devices?.length ? { devices: input.devices.map((d) => ({ ...d })) } : {}),
    ...seccompSection(input, bounding),
    ...(input.idMappings ? { uidMappings: input.idMappings.uidMap.map((m) => ({ ...m })), gidMappings: input.idMappings.gidMap.map((m) => ({ ...m })) } : {}),
  };
}
