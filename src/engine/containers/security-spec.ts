/**
 * What a container's parsed --security-opt values mean for its runtime spec on this host: the seccomp
 * profile to load, and SELinux/AppArmor labels — set only where the host has that LSM enabled (on a
 * host without them, as this one, the labels stay empty, as Podman's do).
 */
import crypto from 'node:crypto';
import { loadSeccompProfile, type SeccompProfile } from '../runtime/seccomp-profile.js';
import { apparmorEnabled, selinuxEnabled, type SecurityOptions } from './security-options.js';

/** undefined: the built-in default; null: unconfined; else the profile file, read again now. */
export function seccompFor(setting: string | undefined): SeccompProfile | null | undefined {
  if (!setting || setting === 'default') return undefined;
  if (setting === 'unconfined') return null;
  return loadSeccompProfile(setting);
}

export interface Labels {
  processLabel?: string;
  mountLabel?: string;
  apparmorProfile?: string;
}

/**
 * SELinux: Podman's container types (container_t, container_file_t) and an MCS pair derived from the
 * container ID, with the parts given by label=user:|role:|type:|level:|filetype: replacing the defaults.
 */
export function labelsFor(sec: SecurityOptions | undefined, id: string, hostHas = { selinux: selinuxEnabled(), apparmor: apparmorEnabled() }): Labels {
  const out: Labels = {};
  if (hostHas.selinux && !sec?.labelDisable) {
    const l = sec?.label ?? {};
    const level = l.level ?? mcsLevel(id);
    out.processLabel = `${l.user ?? 'system_u'}:${l.role ?? 'system_r'}:${l.type ?? 'container_t'}:${level}`;
    out.mountLabel = `${l.user ?? 'system_u'}:object_r:${l.filetype ?? 'container_file_t'}:${level}`;
  }
  if (hostHas.apparmor && sec?.apparmor && sec.apparmor !== 'unconfined') out.apparmorProfile = sec.apparmor;
  return out;
}

function mcsLevel(id: string): string {
  const h = crypto.createHash('sha256').update(id).digest();
  const a = h.readUInt16BE(0) % 1024;
  let b = h.readUInt16BE(2) % 1024;
  if (b === a) b = (b + 1) % 1024;
  return `s0:c${Math.min(a, b)},c${Math.max(a, b)}`;
}
