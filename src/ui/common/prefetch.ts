/** The first containers, pods and images lists, asked for as soon as the bridge is ready (before the App has loaded). */
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
    performance.mark('selkie:bridge-ready');
    for (const scope of Object.keys(listMethod) as ChangeScope[]) {
      const p = client.call<unknown[]>(listMethod[scope].method, listMethod[scope].params);
      p.catch(() => undefined);
      prefetched[scope] = p;
    }
  });
  return prefetched;
}
