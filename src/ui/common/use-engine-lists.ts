/**
 * The lists the page shows (containers, pods, images, stats of running containers), loaded once the
 * bridge is ready and refreshed only for the scopes a change notification names — no polling loop.
 * A refresh asked for while one runs is done once after it. CPU and memory (which have no events)
 * are sampled again every STATS_INTERVAL_MS only while containers run and the page is visible.
 */
import { useEffect, useRef, useState } from 'react';
import type { ChangeScope } from '../../bridge/protocol.js';
import type { ContainerStats } from '../../engine/containers/container-stats.js';
import type { ContainerInfo } from '../../engine/types/container.js';
import type { ImageSummary } from '../../engine/types/image.js';
import type { PodSummary } from '../../engine/types/pod.js';
import type { BridgeClient } from '../bridge-client.js';
import { listMethod, type Prefetched } from './prefetch.js';

const STATS_INTERVAL_MS = 10_000;

export interface EngineLists {
  containers: ContainerInfo[] | null;
  pods: PodSummary[] | null;
  images: ImageSummary[] | null;
  /** By container ID. */
  stats: Map<string, ContainerStats>;
  /** The last failure to load a list (shown as an empty state), cleared by the next success. */
  loadError: unknown;
}

const nothingPrefetched: Prefetched = {};

export function useEngineLists(client: BridgeClient, prefetched: Prefetched = nothingPrefetched): EngineLists {
  const [lists, setLists] = useState<EngineLists>({ containers: null, pods: null, images: null, stats: new Map(), loadError: undefined });
  const inFlight = useRef(new Set<ChangeScope>());
  const again = useRef(new Set<ChangeScope>());

  useEffect(() => {
    let alive = true;
    let statsTimer: ReturnType<typeof setTimeout> | undefined;

    const loadStats = async (containers: ContainerInfo[]) => {
      if (statsTimer) clearTimeout(statsTimer);
      if (!containers.some((c) => c.State === 'running' && !c.IsInfra)) return;
      try {
        // No names: every running container (a container that stopped meanwhile is no error).
        const stats = await client.call<ContainerStats[]>('containers.stats', {});
        if (alive) setLists((l) => ({ ...l, stats: new Map(stats.map((s) => [s.ID, s])) }));
      } catch {
        // Stats are a nicety: a container that stopped meanwhile is not an error to show.
      }
      if (alive) statsTimer = setTimeout(() => (document.visibilityState === 'visible' ? loadStats(containers) : undefined), STATS_INTERVAL_MS);
    };

    const load = async (scope: ChangeScope) => {
      if (inFlight.current.has(scope)) {
        again.current.add(scope);
        return;
      }
      inFlight.current.add(scope);
      try {
        // The first load of a list may already be under way (asked for before the App loaded).
        const early = prefetched[scope];
        delete prefetched[scope];
        const result = await (early ?? client.call<unknown[]>(listMethod[scope].method, listMethod[scope].params));
        if (scope === 'containers' && !performance.getEntriesByName('selkie:containers').length) performance.mark('selkie:containers');
        if (!alive) return;
        setLists((l) => ({ ...l, [scope]: result, loadError: undefined }));
        if (scope === 'containers') void loadStats(result as ContainerInfo[]);
      } catch (e) {
        if (alive) setLists((l) => ({ ...l, loadError: e }));
      } finally {
        inFlight.current.delete(scope);
        if (again.current.delete(scope) && alive) void load(scope);
      }
    };

    const refresh = (scopes: ChangeScope[]) => scopes.forEach((s) => void load(s));
    const off = client.onChange(refresh);
    if (client.status.state === 'connected' || Object.keys(prefetched).length) refresh(['containers', 'pods', 'images']);
    return () => {
      alive = false;
      off();
      if (statsTimer) clearTimeout(statsTimer);
    };
  }, [client, prefetched]);

  return lists;
}
