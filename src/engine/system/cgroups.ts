/** Which cgroup layout the host has: unified v2, legacy v1, or hybrid (v1 controllers plus a v2 tree). */
import fs from 'node:fs';

const CGROUP2_SUPER_MAGIC = 0x63677270;

export type CgroupLayout = 'v1' | 'v2' | 'hybrid';

export function cgroupLayout(root = '/sys/fs/cgroup'): CgroupLayout {
  if (isCgroup2(root)) return 'v2';
  if (isCgroup2(`${root}/unified`)) return 'hybrid';
  return 'v1';
}

function isCgroup2(p: string): boolean {
  try {
    return fs.statfsSync(p).type === CGROUP2_SUPER_MAGIC;
  } catch {
    return false;
  }
}

/** Controllers available to containers: v2's cgroup.controllers, or the enabled v1 hierarchies. */
export function cgroupControllers(layout: CgroupLayout, root = '/sys/fs/cgroup'): string[] {
  try {
    if (layout === 'v2') return fs.readFileSync(`${root}/cgroup.controllers`, 'utf8').trim().split(/\s+/).filter(Boolean);
    return fs
      .readFileSync('/proc/cgroups', 'utf8')
      .split('\n')
      .slice(1)
      .map((l) => l.split('\t'))
      .filter((f) => f.length >= 4 && f[3] === '1' && f[1] !== '0')
      .map((f) => f[0]!);
  } catch {
    return [];
  }
}
