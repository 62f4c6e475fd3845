/**
 * The Containers table's rows: containers grouped by pod (pods first, by name; then the containers
 * outside pods), narrowed by "show running only" and the text filter. Infra containers are counted,
 * not listed.
 */
import type { ContainerInfo } from '../../engine/types/container.js';
import type { PodSummary } from '../../engine/types/pod.js';

export interface ContainerGroup {
  /** null: the containers that belong to no pod. */
  pod: PodSummary | null;
  containers: ContainerInfo[];
}

export interface GroupOptions {
  /** false: only running and paused containers (and pods with one). */
  showAll: boolean;
  /** Case-insensitive substring of name, image, ID, command or pod name. */
  filter: string;
}

export const containerName = (c: ContainerInfo): string => (c.Names[0] ?? c.Id.slice(0, 12)).replace(/^\//, '');
const isActive = (c: ContainerInfo) => c.State === 'running' || c.State === 'paused';
const byName = (a: ContainerInfo, b: ContainerInfo) => (containerName(a) < containerName(b) ? -1 : containerName(a) > containerName(b) ? 1 : 0);

function matches(c: ContainerInfo, needle: string): boolean {
  if (!needle) return true;
  const hay = [containerName(c), c.Image, c.Id, c.Command.join(' '), c.PodName ?? ''].join('\n').toLowerCase();
  return hay.includes(needle);
}

export function groupContainers(containers: ContainerInfo[], pods: PodSummary[], opts: GroupOptions): ContainerGroup[] {
  const needle = opts.filter.trim().toLowerCase();
  const byPod = new Map<string, ContainerInfo[]>();
  const loose: ContainerInfo[] = [];
  for (const c of containers) {
    if (c.IsInfra) continue;
    if (!opts.showAll && !isActive(c)) continue;
    if (c.Pod) {
      const list = byPod.get(c.Pod) ?? [];
      list.push(c);
      byPod.set(c.Pod, list);
    } else if (matches(c, needle)) loose.push(c);
  }
  const groups: ContainerGroup[] = [];
  for (const pod of [...pods].sort((a, b) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0))) {
    const members = byPod.get(pod.Id) ?? [];
    const podMatches = needle !== '' && pod.Name.toLowerCase().includes(needle);
    const shown = podMatches ? members : members.filter((c) => matches(c, needle));
    const podActive = pod.Status === 'Running' || pod.Status === 'Degraded' || pod.Status === 'Paused';
    if (shown.length || podMatches || (needle === '' && (opts.showAll || podActive))) groups.push({ pod, containers: shown.sort(byName) });
  }
  if (loose.length) groups.push({ pod: null, containers: loose.sort(byName) });
  return groups;
}

/** Container counts for the header: all (without infra) and running. */
export function containerCounts(containers: ContainerInfo[]): { all: number; running: number } {
  const real = containers.filter((c) => !c.IsInfra);
  return { all: real.length, running: real.filter((c) => c.State === 'running').length };
}
