/**
 * `--cgroups=enabled|no-conmon|split|disabled` (Podman's flag). Selkie never moves conmon into a
 * cgroup of its own, so conmon always stays in the caller's cgroup (the unit's, under systemd):
 * `enabled` and `no-conmon` both give the container its own cgroup /selkie/ID; `split` puts the
 * container's cgroup below the caller's (a unit with Delegate=yes keeps all of it); `disabled`
 * needs a runtime that can run without a cgroup (crun), and is refused with runc.
 */
import fs from 'node:fs';
import { usageError } from '../errors.js';

export type CgroupsMode = 'enabled' | 'no-conmon' | 'split' | 'disabled';

const modes: readonly CgroupsMode[] = ['enabled', 'no-conmon', 'split', 'disabled'];

export function parseCgroupsMode(value: string | undefined, runtimeName: string): CgroupsMode {
  const v = value ?? 'enabled';
  if (!modes.includes(v as CgroupsMode)) throw usageError(`invalid --cgroups "${v}"`, 'use enabled, no-conmon, split or disabled');
  if (v === 'disabled' && runtimeName !== 'crun') {
    throw usageError(`--cgroups=disabled is not possible with the ${runtimeName} runtime: it always creates a cgroup`, 'use --cgroups=no-conmon or split, or --runtime crun where crun works');
  }
  return v as CgroupsMode;
}

/** The spec's linux.cgroupsPath for a container (undefined: none, for disabled). */
export function cgroupsPathFor(mode: CgroupsMode | undefined, id: string, selfCgroup: () => string = callerCgroup): string | undefined {
  switch (mode ?? 'enabled') {
    case 'disabled':
      return undefined;
    case 'split':
      return `${selfCgroup().replace(/\/$/, '')}/selkie-${id}`;
    default:
      return `/selkie/${id}`;
  }
}

/**
 * This process's cgroup: the unified hierarchy's path ("0::/…"), or on v1 the name=systemd one
 * (the path systemd gives units), else the root.
 */
export function callerCgroup(text?: string): string {
  let t = text;
  if (t === undefined) {
    try {
      t = fs.readFileSync('/proc/self/cgroup', 'utf8');
    } catch {
      return '/';
    }
  }
  const lines = t.split('\n').filter(Boolean).map((l) => l.split(':'));
  const pick = lines.find((l) => l[0] === '0' && l[1] === '') ?? lines.find((l) => l[1] === 'name=systemd');
  return pick?.slice(2).join(':') || '/';
}
