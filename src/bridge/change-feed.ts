/**
 * Where the page's "something changed, refresh" notifications come from — the one place that knows.
 *
 * The engine's event stream (`engine.system.events({ stream: true })`) when the engine has one:
 * container, pod and image events map to the lists they change, so a container that exits on its own
 * or a `selkie` command in a terminal shows on the page too. The bridge's own actions announce their
 * scopes as well (cheap, and covers anything the event log does not record); if the stream fails,
 * the actions are the only source. Announcements within COALESCE_MS are sent together.
 */
import type { Engine } from '../engine/engine.js';
import type { EngineEvent } from '../engine/types/events.js';
import type { ChangeScope } from './protocol.js';

export interface ChangeFeed {
  readonly source: 'action' | 'events';
  /** The bridge finished a call that may have changed these lists. */
  actionPerformed(scopes: readonly ChangeScope[]): void;
  close(): void;
}

const COALESCE_MS = 20;

/** The lists an engine event changes. */
export function scopesOfEvent(e: Pick<EngineEvent, 'Type'>): ChangeScope[] {
  switch (e.Type) {
    case 'container':
    case 'pod':
      return ['containers', 'pods'];
    case 'image':
      return ['images'];
    default:
      return [];
  }
}

type Announce = (scopes: ChangeScope[], source: 'action' | 'events') => void;

export function startChangeFeed(engine: Engine, announce: Announce, log?: (msg: string) => void): ChangeFeed {
  let pending = new Set<ChangeScope>();
  let pendingSource: 'action' | 'events' = 'action';
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    timer = undefined;
    const scopes = [...pending];
    pending = new Set();
    if (scopes.length) announce(scopes, pendingSource);
    pendingSource = 'action';
  };
  const add = (scopes: readonly ChangeScope[], source: 'action' | 'events') => {
    if (!scopes.length) return;
    for (const s of scopes) pending.add(s);
    if (source === 'events') pendingSource = 'events';
    timer ??= setTimeout(flush, COALESCE_MS);
  };

  const abort = new AbortController();
  const system = engine.system as Partial<Engine['system']>;
  let source: 'action' | 'events' = 'action';
  if ('events' in system && typeof system.events === 'function') {
    source = 'events';
    const events = system.events.bind(system);
    void (async () => {
      try {
        for await (const e of events({ stream: true, since: Date.now(), signal: abort.signal })) add(scopesOfEvent(e), 'events');
      } catch (e) {
        log?.(`selkie-bridge: the engine's event stream failed, refreshing after actions only: ${e instanceof Error ? e.message : String(e)}`);
      }
      if (!abort.signal.aborted) source = 'action';
    })();
  }

  return {
    get source() {
      return source;
    },
    actionPerformed: (scopes) => add(scopes, 'action'),
    close() {
      abort.abort();
      if (timer) clearTimeout(timer);
      flush();
    },
  };
}
