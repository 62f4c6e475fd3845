/** The security fields of `inspect` (Podman's names): capabilities, labels, seccomp profile. */
import { resolveCapabilities } from '../runtime/capabilities.js';
import { hostFacts } from '../runtime/host-facts.js';
import type { ContainerRecord } from './container-record.js';
import { labelsFor } from './security-spec.js';

export interface SecurityView {
  MountLabel: string;
  ProcessLabel: string;
  AppArmorProfile: string;
  EffectiveCaps: string[];
  BoundingCaps: string[];
  SeccompProfilePath: string;
}

export function securityView(c: ContainerRecord): SecurityView {
  const cfg = c.config;
  const host = hostFacts();
  let caps = { effective: [] as string[], bounding: [] as string[] };
  try {
    caps = resolveCapabilities({
      capAdd: cfg.capAdd,
      capDrop: cfg.capDrop,
      privileged: cfg.privileged,
      hostBounding: host.boundingCapabilities.length ? host.boundingCapabilities : undefined,
      uid: runsAsRoot(cfg.user) ? 0 : 1,
    });
  } catch {
    // a capability this host no longer grants: the container cannot start; show none
  }
  const labels = labelsFor(cfg.security, c.id);
  const seccomp = cfg.security?.seccomp ?? 'default';
  return {
    MountLabel: labels.mountLabel ?? '',
    ProcessLabel: labels.processLabel ?? '',
    AppArmorProfile: labels.apparmorProfile ?? '',
    EffectiveCaps: caps.effective,
    BoundingCaps: caps.bounding,
    SeccompProfilePath: seccomp === 'default' ? (cfg.privileged ? 'unconfined' : '') : seccomp,
  };
}

/** -u as given: "", root, 0 (with any group) run as root; a name or UID other than that does not. */
function runsAsRoot(user: string): boolean {
  const u = user.split(':')[0] ?? '';
  return u === '' || u === 'root' || u === '0';
}
