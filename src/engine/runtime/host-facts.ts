/**
 * What the spec generator needs to know about the host: the caller's rlimits and capabilities and the
 * cgroup layout. Read once per process (each is a small procfs/sysfs read); tests pass their own.
 */
import fs from 'node:fs';
import { cgroupLayout, type CgroupLayout } from '../system/cgroups.js';
import { capabilitiesFromMask } from './capabilities.js';
import { parseProcLimits, type HostLimits } from './rlimits.js';

export interface HostFacts {
  limits: HostLimits;
  /** The caller has CAP_SYS_RESOURCE in its effective set, so it may raise hard rlimits. */
  canRaiseLimits: boolean;
  /** Capabilities the caller can pass on (its bounding set). */
  boundingCapabilities: string[];
  cgroupLayout: CgroupLayout;
}

let cached: HostFacts | undefined;

export function hostFacts(): HostFacts {
  if (cached) return cached;
  const status = readOr('/proc/self/status', '');
  const mask = (key: string) => status.match(new RegExp(`^${key}:\\s*([0-9a-f]+)`, 'm'))?.[1] ?? '';
  const effective = capabilitiesFromMask(mask('CapEff'));
  const bounding = capabilitiesFromMask(mask('CapBnd'));
  cached = {
    limits: parseProcLimits(readOr('/proc/self/limits', '')),
    canRaiseLimits: effective.includes('CAP_SYS_RESOURCE'),
    boundingCapabilities: bounding,
    cgroupLayout: cgroupLayout(),
  };
  return cached;
}

function readOr(file: string, fallback: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return fallback;
  }
}
