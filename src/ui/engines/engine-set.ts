/**
 * The page's engines, side by side: the system engine (a bridge run as root through Cockpit's
 * superuser) and the logged-in user's own engine (a bridge run as that user). A root Cockpit user has
 * the system engine only; should both bridges still report the same uid, the engine is kept once.
 * Made by main.tsx before React has loaded, so the bridges start (and their lists are asked for)
 * while the page's big chunk still loads.
 */
import { BridgeClient, type TransportFactory } from '../bridge-client.js';
import { type Prefetched, prefetchLists } from '../common/prefetch.js';

export type Owner = 'system' | 'user';
export const owners: readonly Owner[] = ['system', 'user'];

export interface EngineEntry {
  owner: Owner;
  client: BridgeClient;
  /** The first lists, asked for as soon as this bridge is ready. */
  prefetched: Prefetched;
}

export interface LoggedInUser {
  id: number;
  name: string;
}

/**
 * The owner whose engine duplicates the other's (both bridges connected, same uid): the user entry
 * when that uid is root's (the system engine stays), else the system entry.
 */
export function duplicateOwner(entries: readonly EngineEntry[]): Owner | undefined {
  const uidOf = (owner: Owner) => {
    const s = entries.find((e) => e.owner === owner)?.client.status;
    return s?.state === 'connected' ? (s.hello.engine?.uid ?? s.hello.uid) : undefined;
  };
  const system = uidOf('system');
  const user = uidOf('user');
  if (system === undefined || user === undefined || system !== user) return undefined;
  return system === 0 ? 'user' : 'system';
}

export class EngineSet {
  private list: readonly EngineEntry[] = [];
  private readonly listeners = new Set<() => void>();
  /** The logged-in user's name, for the user engine's label until its bridge says whom it runs as. */
  userName?: string;

  /** The current engines (a new array after each change: usable as a snapshot). */
  get engines(): readonly EngineEntry[] {
    return this.list;
  }

  subscribe(cb: () => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  /** Start a bridge for `owner` (and ask for its lists once it is ready). */
  add(owner: Owner, factory: TransportFactory, prefetch = true): EngineEntry {
    const client = new BridgeClient(factory);
    const entry: EngineEntry = { owner, client, prefetched: prefetch ? prefetchLists(client) : {} };
    client.onStatus(() => this.dropDuplicate());
    this.list = [...this.list.filter((e) => e.owner !== owner), entry];
    this.changed();
    return entry;
  }

  close(): void {
    for (const e of this.list) e.client.close();
    this.list = [];
    this.changed();
  }

  private dropDuplicate(): void {
    const drop = duplicateOwner(this.list);
    if (!drop) return;
    this.list.find((e) => e.owner === drop)?.client.close();
    this.list = this.list.filter((e) => e.owner !== drop);
    this.changed();
  }

  private changed(): void {
    for (const cb of this.listeners) cb();
  }
}

export interface OpenEnginesOptions {
  transport(owner: Owner): TransportFactory;
  /** Who is logged in to Cockpit; undefined when unknown (both engines are opened, duplicates dropped by uid). */
  whoami(): Promise<LoggedInUser | undefined>;
}

/** The system engine at once; the user's own engine too unless the logged-in user is root. */
export function openEngines(opts: OpenEnginesOptions): EngineSet {
  const set = new EngineSet();
  set.add('system', opts.transport('system'));
  opts.whoami().then(
    (user) => {
      if (user) set.userName = user.name;
      if (user?.id !== 0) set.add('user', opts.transport('user'));
    },
    () => set.add('user', opts.transport('user')),
  );
  return set;
}
