/**
 * The engines as the page shows them: each with its owner label ("system" or the user's name), its
 * connection status, and the BridgeContext value its rows, tabs and dialogs use — so an action on a
 * container goes to the engine that owns it (`OwnerScope`).
 */
import { createContext, type ReactNode, useContext, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { BridgeHello } from '../../bridge/protocol.js';
import type { BridgeClient, ConnectionStatus } from '../bridge-client.js';
import { BridgeContext, type BridgeContextValue } from '../common/bridge-context.js';
import { _, fmt } from '../i18n.js';
import type { EngineEntry, EngineSet, Owner } from './engine-set.js';

export interface EngineView {
  owner: Owner;
  /** "system", or the name of the user whose engine it is. */
  label: string;
  client: BridgeClient;
  status: ConnectionStatus;
  /** The BridgeContext value of this engine (the same object while its hello is). */
  bridge: BridgeContextValue;
}

export function ownerLabel(owner: Owner, hello: BridgeHello | undefined, userName: string | undefined): string {
  if (owner === 'system') return _('system');
  return hello?.engine?.user || userName || (hello ? fmt('uid $0', hello.uid) : _('user'));
}

/** "the system engine" / "the engine of user alice", for titles and alerts. */
export const engineName = (v: Pick<EngineView, 'owner' | 'label'>): string => (v.owner === 'system' ? _('the system engine') : fmt('the engine of user $0', v.label));

/** The set's engines, re-rendering when one is added or dropped. */
export function useEngineEntries(set: EngineSet): readonly EngineEntry[] {
  return useSyncExternalStore(
    useMemo(() => set.subscribe.bind(set), [set]),
    () => set.engines,
  );
}

/** Follows the set and each engine's connection status. */
export function useEngineViews(set: EngineSet): EngineView[] {
  const engines = useEngineEntries(set);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const offs = engines.map((e) => e.client.onStatus(() => setTick((t) => t + 1)));
    // A status that changed between render and this effect.
    setTick((t) => t + 1);
    return () => offs.forEach((off) => off());
  }, [engines]);
  // The last hello of each client, kept while it reconnects (the Security tab still compares capabilities).
  const last = useRef(new WeakMap<BridgeClient, { hello?: BridgeHello; bridge: BridgeContextValue }>());
  return useMemo(
    () =>
      engines.map((e) => {
        const status = e.client.status;
        const cached = last.current.get(e.client);
        const hello = status.state === 'connected' ? status.hello : cached?.hello;
        let bridge = cached?.bridge;
        if (!bridge || cached?.hello !== hello) {
          bridge = { client: e.client, hello };
          last.current.set(e.client, { hello, bridge });
        }
        return { owner: e.owner, label: ownerLabel(e.owner, hello, set.userName), client: e.client, status, bridge };
      }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [engines, tick, set],
  );
}

export const EnginesContext = createContext<EngineView[]>([]);
export const useEngines = (): EngineView[] => useContext(EnginesContext);

/** Its children talk to `owner`'s engine (useBridge() gives that engine's client). */
export function OwnerScope({ owner, children }: { owner: Owner | undefined; children: ReactNode }) {
  const view = useContext(EnginesContext).find((v) => v.owner === owner);
  return view ? <BridgeContext.Provider value={view.bridge}>{children}</BridgeContext.Provider> : <>{children}</>;
}

/** The client of `owner`'s engine; without engines (a dialog rendered alone), the surrounding bridge's. */
export function useEngineClient(owner: Owner | undefined): BridgeClient {
  const outer = useContext(BridgeContext);
  const client = useContext(EnginesContext).find((v) => v.owner === owner)?.client ?? outer?.client;
  if (!client) throw new Error('useEngineClient outside EnginesContext and BridgeContext');
  return client;
}

/** The engines a create dialog may target: connected ones, for an owner select shown when there are two. */
export function connectedOwners(views: readonly EngineView[]): { owner: Owner; label: string }[] {
  return views.filter((v) => v.status.state === 'connected').map((v) => ({ owner: v.owner, label: v.label }));
}
