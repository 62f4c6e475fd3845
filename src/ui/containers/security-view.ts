/**
 * What the Security tab shows, computed from `inspect` (and the live seccomp mode from `top`):
 * capabilities against the engine's default set, seccomp, labels, no-new-privileges, read-only
 * rootfs, user-namespace ID mappings, and who started it (the login UID of its main process).
 */
import type { ContainerInspect } from '../../engine/types/container.js';
import { _, fmt } from '../i18n.js';

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
  /**
   * Who started it: the login UID of the running container's main process and that user's name;
   * null: no login session (started by a service); undefined: not known (not running, or an engine
   * that does not say).
   */
  loginUid: number | null | undefined;
  loginUser: string;
}

/** "alice (login UID 1000)", "no login session (a service started it)", or '' when unknown. */
export function startedByText(v: Pick<SecurityView, 'loginUid' | 'loginUser'>): string {
  if (v.loginUid === undefined) return '';
  if (v.loginUid === null) return _('no login session (a service started it)');
  return v.loginUser ? fmt('$0 (login UID $1)', v.loginUser, v.loginUid) : fmt('login UID $0', v.loginUid);
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
    loginUid: i.Selkie?.LoginUid,
    loginUser: i.Selkie?.LoginUser ?? '',
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
