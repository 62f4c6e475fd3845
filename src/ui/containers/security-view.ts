/**
 * What the Security tab shows, computed from `inspect` (and the live seccomp mode from `top`):
 * capabilities against the engine's default set, seccomp, labels, no-new-privileges, read-only
 * rootfs and user-namespace ID mappings.
 */
import type { ContainerInspect } from '../../engine/types/container.js';

export interface SecurityView {
  effective: string[];
  bounding: string[];
  /** In the bounding set but not in the default set. */
  added: string[];
  /** In the default set but not in the bounding set. */
  dropped: string[];
  privileged: boolean;
  /** 'default' (the engine's built-in profile), 'unconfined', or the profile file. */
  seccompProfile: string;
  noNewPrivileges: boolean;
  readOnlyRootfs: boolean;
  processLabel: string;
  mountLabel: string;
  apparmorProfile: string;
  usernsMode: string;
  uidMap: string[];
  gidMap: string[];
}

const sorted = (a: readonly string[]) => [...a].sort();

export function securityView(i: ContainerInspect, defaultCaps: readonly string[]): SecurityView {
  const bounding = i.BoundingCaps ?? [];
  const defaults = new Set(defaultCaps);
  const bset = new Set(bounding);
  const securityOpt = i.HostConfig.SecurityOpt ?? [];
  const seccompOpt = securityOpt.find((o) => o.startsWith('seccomp=') || o.startsWith('seccomp:'))?.slice('seccomp='.length);
  return {
    effective: sorted(i.EffectiveCaps ?? []),
    bounding: sorted(bounding),
    added: sorted(bounding.filter((c) => !defaults.has(c))),
    dropped: sorted(defaultCaps.filter((c) => !bset.has(c))),
    privileged: i.HostConfig.Privileged,
    seccompProfile: i.SeccompProfilePath || seccompOpt || 'default',
    noNewPrivileges: securityOpt.some((o) => o === 'no-new-privileges' || o === 'no-new-privileges:true' || o === 'no-new-privileges=true'),
    readOnlyRootfs: i.HostConfig.ReadonlyRootfs,
    processLabel: i.ProcessLabel ?? '',
    mountLabel: i.MountLabel ?? '',
    apparmorProfile: i.AppArmorProfile ?? '',
    usernsMode: i.HostConfig.UsernsMode ?? '',
    uidMap: i.HostConfig.IDMappings?.UidMap ?? [],
    gidMap: i.HostConfig.IDMappings?.GidMap ?? [],
  };
}

/** The kernel's seccomp mode number (from /proc/PID/status, top's "seccomp" column) as words. */
export function seccompModeName(mode: string | undefined): string {
  switch (mode?.trim()) {
    case '0':
    case 'disabled':
      return 'disabled';
    case '1':
    case 'strict':
      return 'strict';
    case '2':
    case 'filter':
      return 'filter';
    default:
      return mode ?? '';
  }
}
