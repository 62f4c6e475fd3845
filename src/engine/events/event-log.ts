/**
 * The engine's event log: one JSON line per event appended to RUNROOT/events/events.log (volatile,
 * like Podman's file event logger). An append of one short line is atomic under O_APPEND, so many
 * CLI processes write to it at once without a lock; readers follow the file's growth (fs.watch,
 * with a slow poll as a fallback) instead of asking the engine in a loop.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { EngineEvent, EventsOptions, EventType } from '../types/events.js';

export interface NewEvent {
  type: EventType;
  status: string;
  id?: string;
  name?: string;
  image?: string;
  attributes?: Record<string, string>;
}

export class EventLog {
  readonly file: string;

  constructor(runRoot: string) {
    this.file = path.join(runRoot, 'events', 'events.log');
  }

  /** Append an event. Never throws: an event that cannot be written must not fail the action. */
  write(e: NewEvent): void {
    const now = Date.now();
    const ev: EngineEvent = {
      ID: e.id ?? '',
      ...(e.image ? { Image: e.image } : {}),
      Name: e.name ?? '',
      Status: e.status,
      Time: rfc3339Nano(now, process.hrtime.bigint()),
      TimeNano: now * 1e6,
      Type: e.type,
      ...(e.attributes && Object.keys(e.attributes).length ? { Attributes: e.attributes } : {}),
    };
    try {
      fs.mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
      fs.appendFileSync(this.file, `${JSON.stringify(ev)}\n`, { mode: 0o600 });
    } catch {
      // best effort: the run directory may be read-only or gone (reboot)
    }
  }

  /** Events in order; with `stream`, then new ones as they are written until `until` or abort. */
  async *read(opts: EventsOptions = {}): AsyncGenerator<EngineEvent> {
    const keep = eventFilter(opts);
    let offset = 0;
    let rest = '';
    const drain = function* (this: EventLog): Generator<EngineEvent> {
      let fd: number;
      try {
        fd = fs.openSync(this.file, 'r');
      } catch {
        return;
      }
      try {
        const size = fs.fstatSync(fd).size;
        if (size < offset) offset = 0; // truncated or replaced
        while (offset < size) {
          const buf = Buffer.alloc(Math.min(1 << 20, size - offset));
          const n = fs.readSync(fd, buf, 0, buf.length, offset);
          if (n <= 0) break;
          offset += n;
          const lines = (rest + buf.subarray(0, n).toString('utf8')).split('\n');
          rest = lines.pop() ?? '';
          for (const line of lines) {
            if (!line) continue;
            let ev: EngineEvent;
            try {
              ev = JSON.parse(line) as EngineEvent;
            } catch {
              continue;
            }
            if (keep(ev)) yield ev;
          }
        }
      } finally {
        fs.closeSync(fd);
      }
    }.bind(this);
    yield* drain();
    if (!opts.stream) return;
    fs.mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
    while (!opts.signal?.aborted && (opts.until === undefined || Date.now() < opts.until)) {
      await changed(path.dirname(this.file), opts);
      yield* drain();
    }
  }
}

/** Resolves when the events directory changes, after at most a second, or on abort/until. */
function changed(dir: string, opts: EventsOptions): Promise<void> {
  return new Promise((resolve) => {
    let watcher: fs.FSWatcher | undefined;
    const wait = Math.max(0, Math.min(1000, opts.until !== undefined ? opts.until - Date.now() : 1000));
    const done = () => {
      clearTimeout(timer);
      watcher?.close();
      opts.signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, wait);
    try {
      watcher = fs.watch(dir, done);
    } catch {
      // the poll above still wakes us
    }
    opts.signal?.addEventListener('abort', done);
  });
}

export function eventFilter(opts: EventsOptions): (e: EngineEvent) => boolean {
  const f = opts.filters ?? {};
  const ms = (e: EngineEvent) => e.TimeNano / 1e6;
  const matchObj = (e: EngineEvent, type: EventType, vs: string[]) => e.Type === type && vs.some((v) => e.Name === v || (e.ID !== '' && e.ID.startsWith(v)));
  return (e) => {
    if (opts.since !== undefined && ms(e) < opts.since) return false;
    if (opts.until !== undefined && ms(e) > opts.until) return false;
    for (const [k, vs] of Object.entries(f)) {
      let ok: boolean;
      switch (k) {
        case 'container':
        case 'pod':
        case 'volume':
        case 'network':
          ok = matchObj(e, k, vs);
          break;
        case 'image':
          ok = vs.some((v) => e.Image === v || (e.Type === 'image' && (e.Name === v || e.ID.startsWith(v))));
          break;
        case 'event':
          ok = vs.includes(e.Status);
          break;
        case 'type':
          ok = vs.includes(e.Type);
          break;
        case 'label':
          ok = vs.some((v) => {
            const [key, val] = v.split('=', 2) as [string, string | undefined];
            return e.Attributes?.[key] !== undefined && (val === undefined || e.Attributes[key] === val);
          });
          break;
        default:
          ok = false;
      }
      if (!ok) return false;
    }
    return true;
  };
}

const EVENT_FILTERS = ['container', 'pod', 'volume', 'network', 'image', 'event', 'type', 'label'];
export const validEventFilters: readonly string[] = EVENT_FILTERS;

/** RFC 3339 with nanoseconds in UTC (the nanoseconds within the millisecond from the monotonic clock). */
function rfc3339Nano(ms: number, hr: bigint): string {
  const iso = new Date(ms).toISOString(); // ...sss Z
  const sub = String(Number(hr % 1000000n)).padStart(6, '0');
  return `${iso.slice(0, 23)}${sub}Z`;
}
