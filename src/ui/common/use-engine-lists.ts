/**
 * The lists the page shows (containers, pods, images, stats of running containers) for each engine,
 * loaded once its bridge is ready and refreshed only for the scopes a change notification names — no
 * polling loop. A refresh asked for while one runs is done once after it. CPU and memory (which have
 * no events) are sampled again every STATS_INTERVAL_MS only while containers run and the page is
 * visible. Every listed object carries `owner`: the engine it came from.
 */
import { useEffect, useRef, useState } from 'react';
import type { ChangeScope } from '../../bridge/protocol.js';
import type { ContainerStats } from '../../engine/containers/container-stats.js';
import type { ContainerInfo } from '../../engine/types/container.js';
import type { ImageSummary } from '../../engine/types/image.js';
import type { PodSummary } from '../../engine/types/pod.js';
import type { BridgeClient } from '../bridge-client.js';
import type { EngineEntry, Owner } from '../engines/engine-set.js';
import { listMethod, type Prefetched } from './prefetch.js';

const STATS_INTERVAL_MS = 10_000;

/** A listed object and the engine it belongs to. */
export type Owned<T> = T & { owner: Owner };
export type OwnedContainer = Owned<ContainerInfo>;
export type OwnedPod = Owned<PodSummary>;
export type OwnedImage = Owned<ImageSummary>;

/** Keys of objects across engines (IDs are only unique within one). */
export const ownedKey = (o: { owner?: Owner; Id: string }): string => `${o.owner ?? ''}:${o.Id}`;

export interface EngineLists {
  containers: OwnedContainer[] | null;
  pods: OwnedPod[] | null;
  images: OwnedImage[] | null;
  /** By container ID. */
  stats: Map<string, ContainerStats>;
  /** The last failure to load a list (shown as an alert), cleared by the next success. */
  loadError: unknown;
}

export const emptyLists = (): EngineLists => ({ containers: null, pods: null, images: null, stats: new Map(), loadError: undefined });

/** Loads one engine's lists and keeps them current; returns the function that stops it. */
export function watchEngineLists(owner: Owner, client: BridgeClient, prefetched: Prefetched, update: (f: (l: EngineLists) => EngineLists) => void): () => void {
  let alive = true;
  let statsTimer: ReturnType<typeof setTimeout> | undefined;
  const inFlight = new Set<ChangeScope>();
  const again = new Set<ChangeScope>();
  const loaded = new Set<ChangeScope>();
  const all: ChangeScope[] = ['containers', 'pods', 'images'];

  const loadStats = async (containers: ContainerInfo[]) => {
    if (statsTimer) clearTimeout(statsTimer);
    if (!containers.some((c) => c.State === 'running' && !c.IsInfra)) return;
    try {
      // No names: every running container (a container that stopped meanwhile is no error).
      const stats = await client.call<ContainerStats[]>('containers.stats', {});
      if (alive) update((l) => ({ ...l, stats: new Map(stats.map((s) => [s.ID, s])) }));
    } catch {
      // Stats are a nicety: a container that stopped meanwhile is not an error to show.
    }
    if (alive) statsTimer = setTimeout(() => (document.visibilityState === 'visible' ? loadStats(containers) : undefined), STATS_INTERVAL_MS);
  };

  const load = async (scope: ChangeScope) => {
    if (inFlight.has(scope)) {
      again.add(scope);
      return;
    }
    inFlight.add(scope);
    try {
      // The first load of a list may already be under way (asked for before the App loaded).
      const early = prefetched[scope];
      delete prefetched[scope];
      const result = await (early ?? client.call<unknown[]>(listMethod[scope].method, listMethod[scope].params));
      if (scope === 'containers' && !performance.getEntriesByName('selkie:containers').length) performance.mark('selkie:containers');
      if (!alive) return;
      for (const o of result as Owned<object>[]) o.owner = owner;
      loaded.add(scope);
      update((l) => ({ ...l, [scope]: result, loadError: undefined }));
      if (scope === 'containers') void loadStats(result as ContainerInfo[]);
    } catch (e) {
      if (alive) update((l) => ({ ...l, loadError: e }));
    } finally {
      inFlight.delete(scope);
      if (again.delete(scope) && alive) void load(scope);
    }
  };

  const refresh = (scopes: ChangeScope[]) => scopes.forEach((s) => void load(s));
  // The bridge's ready notification comes with a change of every scope (after a reconnect anything
  // may have changed). On the first ready, the lists asked for early (prefetched) are still on their
  // way or just in: only what is neither is loaded then.
  let wasConnected = client.status.state === 'connected';
  let firstReady = false;
  const offStatus = client.onStatus((st) => {
    if (st.state !== 'connected') return;
    firstReady = !wasConnected;
    wasConnected = true;
  });
  const off = client.onChange((scopes) => {
    if (firstReady) {
      firstReady = false;
      refresh(scopes.filter((sc) => !loaded.has(sc) && !inFlight.has(sc)));
    } else refresh(scopes);
  });
  if (client.status.state === 'connected' || Object.keys(prefetched).length) refresh(all);
  return () => {
    alive = false;
    off();
    offStatus();
    if (statsTimer) clearTimeout(statsTimer);
  };
}

/** Each engine's lists, by owner; an engine that leaves the set leaves the map. */
export function useEngineLists(engines: readonly EngineEntry[]): ReadonlyMap<Owner, EngineLists> {
  const [lists, setLists] = useState<ReadonlyMap<Owner, EngineLists>>(() => new Map());
  const watching = useRef(new Map<EngineEntry, () => void>());

  useEffect(() => {
    const current = new Set(engines);
    for (const [entry, stop] of watching.current) {
      if (current.has(entry)) continue;
      stop();
      watching.current.delete(entry);
      setLists((m) => {
        if (!m.has(entry.owner) || engines.some((e) => e.owner === entry.owner)) return m;
        const next = new Map(m);
        next.delete(entry.owner);
        return next;
      });
    }
    for (const entry of engines) {
      if (watching.current.has(entry)) continue;
      const update = (f: (l: EngineLists) => EngineLists) => setLists((m) => new Map(m).set(entry.owner, f(m.get(entry.owner) ?? emptyLists())));
      watching.current.set(entry, watchEngineLists(entry.owner, entry.client, entry.prefetched, update));
    }
  }, [engines]);

  useEffect(
    () => () => {
      for (const stop of watching.current.values()) stop();
      watching.current.clear();
    },
    [],
  );

  return lists;
}

export interface MergedLists {
  containers: OwnedContainer[];
  pods: OwnedPod[];
  images: OwnedImage[];
  /** By ownedKey of the container. */
  stats: Map<string, ContainerStats>;
  /** No engine has listed its containers and pods yet, and one may still. */
  loading: boolean;
  imagesLoading: boolean;
  /** Some engine has listed its containers and pods (its images): the counts mean something. */
  listed: boolean;
  imagesListed: boolean;
  /** Load failures, by owner. */
  loadErrors: { owner: Owner; error: unknown }[];
}

/** The engines' lists together (only the owners in `show`). */
export function mergeLists(lists: ReadonlyMap<Owner, EngineLists>, show: (owner: Owner) => boolean, mayStillLoad: boolean): MergedLists {
  const m: MergedLists = { containers: [], pods: [], images: [], stats: new Map(), loading: true, imagesLoading: true, listed: false, imagesListed: false, loadErrors: [] };
  let listed = false;
  let imagesListed = false;
  for (const [owner, l] of lists) {
    if (l.loadError !== undefined) m.loadErrors.push({ owner, error: l.loadError });
    if (!show(owner)) continue;
    if (l.containers && l.pods) listed = true;
    if (l.images) imagesListed = true;
    if (l.containers) m.containers.push(...l.containers);
    if (l.pods) m.pods.push(...l.pods);
    if (l.images) m.images.push(...l.images);
    for (const [id, s] of l.stats) m.stats.set(`${owner}:${id}`, s);
  }
  m.listed = listed;
  m.imagesListed = imagesListed;
  m.loading = !listed && mayStillLoad;
  m.imagesLoading = !imagesListed && mayStillLoad;
  return m;
}
