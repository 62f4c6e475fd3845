/**
 * The first containers, pods and images lists, asked for as soon as the bridge is spawned (before the
 * App has loaded, and before the bridge is even ready: it reads its requests once it has its engine),
 * saving a round trip through Cockpit on the way to the first paint.
 */
import type { ChangeScope } from '../../bridge/protocol.js';
import type { BridgeClient } from '../bridge-client.js';

export type Prefetched = Partial<Record<ChangeScope, Promise<unknown[]>>>;

export const listMethod: Record<ChangeScope, { method: string; params: Record<string, unknown> }> = {
  containers: { method: 'containers.list', params: { all: true } },
  pods: { method: 'pods.list', params: {} },
  images: { method: 'images.list', params: {} },
};

export function prefetchLists(client: BridgeClient): Prefetched {
  const prefetched: Prefetched = {};
  const off = client.onStatus((s) => {
    if (s.state !== 'connected') return;
    off();
    if (!performance.getEntriesByName('selkie:bridge-ready').length) performance.mark('selkie:bridge-ready');
  });
  for (const scope of Object.keys(listMethod) as ChangeScope[]) {
    const p = client.call<unknown[]>(listMethod[scope].method, listMethod[scope].params);
    p.catch(() => undefined);
    prefetched[scope] = p;
  }
  return prefetched;
}
