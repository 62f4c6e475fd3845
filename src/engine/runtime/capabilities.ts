/**
 * Linux capabilities for a container: Podman's default set, adjusted by --cap-add/--cap-drop and
 * --privileged. Names are accepted with or without the CAP_ prefix, in any case; "ALL" means every
 * capability the host can grant (the caller's bounding set), as Podman does.
 */
import { invalid } from '../errors.js';
import type { OciCapabilities } from './oci-types.js';

/** Capability numbers 0..40 (linux/capability.h); the index is the bit in /proc/PID/status masks. */
export const ALL_CAPABILITIES = [
  'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_DAC_READ_SEARCH', 'CAP_FOWNER', 'CAP_FSETID', 'CAP_KILL',
  'CAP_SETGID', 'CAP_SETUID', 'CAP_SETPCAP', 'CAP_LINUX_IMMUTABLE', 'CAP_NET_BIND_SERVICE',
  'CAP_NET_BROADCAST', 'CAP_NET_ADMIN', 'CAP_NET_RAW', 'CAP_IPC_LOCK', 'CAP_IPC_OWNER', 'CAP_SYS_MODULE',
  'CAP_SYS_RAWIO', 'CAP_SYS_CHROOT', 'CAP_SYS_PTRACE', 'CAP_SYS_PACCT', 'CAP_SYS_ADMIN', 'CAP_SYS_BOOT',
  'CAP_SYS_NICE', 'CAP_SYS_RESOURCE', 'CAP_SYS_TIME', 'CAP_SYS_TTY_CONFIG', 'CAP_MKNOD', 'CAP_LEASE',
  'CAP_AUDIT_WRITE', 'CAP_AUDIT_CONTROL', 'CAP_SETFCAP', 'CAP_MAC_OVERRIDE', 'CAP_MAC_ADMIN',
  'CAP_SYSLOG', 'CAP_WAKE_ALARM', 'CAP_BLOCK_SUSPEND', 'CAP_AUDIT_READ', 'CAP_PERFMON', 'CAP_BPF',
  'CAP_CHECKPOINT_RESTORE',
] as const;

/** Podman's default capabilities (containers.conf default_capabilities). */
export const DEFAULT_CAPABILITIES = [
  'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_FOWNER', 'CAP_FSETID', 'CAP_KILL', 'CAP_NET_BIND_SERVICE',
  'CAP_SETFCAP', 'CAP_SETGID', 'CAP_SETPCAP', 'CAP_SETUID', 'CAP_SYS_CHROOT',
];

export interface CapabilityInput {
  capAdd?: readonly string[];
  capDrop?: readonly string[];
  privileged?: boolean;
  /** Capabilities the host lets us grant (the caller's bounding set); default: all known. */
  hostBounding?: readonly string[];
  /** uid of the container process: non-root processes get no effective/permitted capabilities. */
  uid?: number;
}

/** "net_admin", "CAP_NET_ADMIN", "Net_Admin" → "CAP_NET_ADMIN"; "all" → "ALL". Throws on unknown names. */
export function normalizeCapability(name: string): string {
  const upper = name.trim().toUpperCase();
  if (upper === 'ALL') return 'ALL';
  const full = upper.startsWith('CAP_') ? upper : `CAP_${upper}`;
  if (!(ALL_CAPABILITIES as readonly string[]).includes(full)) {
    throw invalid(`unknown capability "${name}"`, 'use a name like NET_ADMIN or CAP_NET_ADMIN (see capabilities(7))');
  }
  return full;
}

/** The capability names set in a hex mask as /proc/PID/status prints it (CapBnd, CapEff, ...). */
export function capabilitiesFromMask(hex: string): string[] {
  const mask = BigInt(`0x${hex.trim() || '0'}`);
  return ALL_CAPABILITIES.filter((_, bit) => (mask >> BigInt(bit)) & 1n);
}

export function resolveCapabilities(input: CapabilityInput): OciCapabilities {
  const host = input.hostBounding ?? ALL_CAPABILITIES;
  const add = (input.capAdd ?? []).map(normalizeCapability);
  const drop = (input.capDrop ?? []).map(normalizeCapability);

  let caps: string[];
  if (input.privileged || add.includes('ALL')) {
    caps = [...host];
  } else {
    caps = DEFAULT_CAPABILITIES.filter((c) => host.includes(c));
    for (const c of add) {
      if (!host.includes(c)) {
        throw invalid(`cannot add capability ${c}: this host does not grant it to Selkie`, 'drop --cap-add ' + c.slice(4));
      }
      if (!caps.includes(c)) caps.push(c);
    }
  }
  if (drop.includes('ALL')) caps = add.filter((c) => c !== 'ALL' && host.includes(c));
  else caps = caps.filter((c) => !drop.includes(c));
  caps = sortCapabilities(caps);

  // Docker and Podman give a non-root process the bounding set only; it gains capabilities by exec'ing
  // a file with file capabilities (or setuid root), not by inheriting root's effective set.
  const nonRoot = input.uid !== undefined && input.uid !== 0;
  return {
    bounding: caps,
    effective: nonRoot ? [] : caps,
    permitted: nonRoot ? [] : caps,
    inheritable: [],
    ambient: [],
  };
}

function sortCapabilities(caps: string[]): string[] {
  return [...new Set(caps)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
