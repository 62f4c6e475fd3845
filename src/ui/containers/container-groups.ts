/**
 * The Containers table's rows: containers grouped by pod (pods first, by name; then the containers
 * outside pods), narrowed by "show running only" and the text filter. Infra containers are counted,
 * not listed. With two engines, a container's pod is looked up in its own engine (`owner`).
 */
import type { ContainerInfo } from '../../engine/types/container.js';
import type { PodSummary } from '../../engine/types/pod.js';
import type { Owner } from '../engines/engine-set.js';

type MaybeOwned<T> = T & { owner?: Owner };

export interface ContainerGroup {
  /** null: the containers that belong to no pod. */
  pod: MaybeOwned<PodSummary> | null;
  containers: MaybeOwned<ContainerInfo>[];
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

const podKey = (owner: Owner | undefined, id: string) => `${owner ?? ''}:${id}`;

export function groupContainers(containers: MaybeOwned<ContainerInfo>[], pods: MaybeOwned<PodSummary>[], opts: GroupOptions): ContainerGroup[] {
  const needle = opts.filter.trim().toLowerCase();
  const byPod = new Map<string, MaybeOwned<ContainerInfo>[]>();
  const loose: MaybeOwned<ContainerInfo>[] = [];
  for (const c of containers) {
    if (c.IsInfra) continue;
    if (!opts.showAll && !isActive(c)) continue;
    if (c.Pod) {
      const key = podKey(c.owner, c.Pod);
      const list = byPod.get(key) ?? [];
      list.push(c);
      byPod.set(key, list);
    } else if (matches(c, needle)) loose.push(c);
  }
  const groups: ContainerGroup[] = [];
  const byPodName = (a: MaybeOwned<PodSummary>, b: MaybeOwned<PodSummary>) =>
    a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : (a.owner ?? '') < (b.owner ?? '') ? -1 : (a.owner ?? '') > (b.owner ?? '') ? 1 : 0;
  for (const pod of [...pods].sort(byPodName)) {
    const members = byPod.get(podKey(pod.owner, pod.Id)) ?? [];
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
