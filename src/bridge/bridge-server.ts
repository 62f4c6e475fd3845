/**
 * The bridge's dispatcher: reads requests (JSON lines), runs the method against the Engine, writes
 * responses, partial data and change notifications. Calls run concurrently; each gets exactly one
 * response. `cancel` aborts a streaming call (logs --follow, pull progress, a terminal session);
 * `input` hands text to a running interactive call (containers.attach / containers.exec).
 */
import type { Engine, TerminalSize } from '../engine/engine.js';
import { asEngineError } from '../engine/engine-error.js';
import { isSelkieError } from '../engine/errors.js';
import { type ChangeFeed, startChangeFeed } from './change-feed.js';
import { encodeLine, LineSplitter } from './json-lines.js';
import type { MethodTable } from './methods/method-types.js';
import type { BridgeErrorPayload, BridgeHello, BridgeMessage } from './protocol.js';

export function errorPayload(thrown: unknown): BridgeErrorPayload {
  const e = asEngineError(thrown);
  if (isSelkieError(e)) return { kind: e.kind, message: e.message, ...(e.hint ? { hint: e.hint } : {}) };
  if (e instanceof Error) return { kind: 'internal', message: e.message };
  return { kind: 'internal', message: String(e) };
}

export interface BridgeServerOptions {
  engine: Engine;
  methods: MethodTable;
  /** Writes one encoded line to the page. */
  write: (line: string) => void;
  hello: Omit<BridgeHello, 'changeSource' | 'protocol'>;
  /** Diagnostics (stderr), never the protocol stream. */
  log?: (msg: string) => void;
}

export class BridgeServer {
  private readonly splitter = new LineSplitter();
  private readonly running = new Map<number, RunningCall>();
  private readonly changes: ChangeFeed;
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly opts: BridgeServerOptions) {
    this.changes = startChangeFeed(opts.engine, (scopes, source) => this.send({ notify: 'changed', params: { scopes, source } }), opts.log);
    this.send({ notify: 'ready', params: { protocol: 1, ...opts.hello, changeSource: this.changes.source } });
  }

  /** Feed raw text from the page. */
  receive(chunk: string): void {
    for (const line of this.splitter.push(chunk)) this.handleLine(line);
  }

  /** Resolves when every call in flight has answered. */
  async drain(): Promise<void> {
    for (const line of this.splitter.flush()) this.handleLine(line);
    while (this.pending.size) await Promise.allSettled([...this.pending]);
  }

  /** Abort the streaming calls and stop announcing changes. */
  close(): void {
    for (const c of this.running.values()) c.controller.abort();
    this.changes.close();
  }

  private send(m: BridgeMessage): void {
    this.opts.write(encodeLine(m));
  }

  private handleLine(line: string): void {
    let req: { id?: unknown; method?: unknown; params?: unknown };
    try {
      req = JSON.parse(line) as typeof req;
    } catch {
      this.opts.log?.(`selkie-bridge: ignoring a line that is not JSON: ${line.slice(0, 200)}`);
      return;
    }
    const id = req.id;
    if (typeof id !== 'number' || !Number.isInteger(id)) {
      this.opts.log?.(`selkie-bridge: ignoring a request without a numeric id: ${line.slice(0, 200)}`);
      return;
    }
    const params = req.params ?? {};
    if (typeof req.method !== 'string' || typeof params !== 'object' || params === null || Array.isArray(params)) {
      this.send({ id, error: { kind: 'invalid', message: 'bridge request: "method" must be a string and "params" an object' } });
      return;
    }
    const p = this.dispatch(id, req.method, params as Record<string, unknown>).finally(() => this.pending.delete(p));
    this.pending.add(p);
  }

  private async dispatch(id: number, method: string, params: Record<string, unknown>): Promise<void> {
    if (method === 'cancel') {
      const target = params.id;
      const c = typeof target === 'number' ? this.running.get(target) : undefined;
      c?.controller.abort();
      this.send({ id, result: { cancelled: c !== undefined } });
      return;
    }
    if (method === 'input' || method === 'resize') {
      this.deliver(id, method, params);
      return;
    }
    if (method === 'ping') {
      this.send({ id, result: 'pong' });
      return;
    }
    const spec = Object.hasOwn(this.opts.methods, method) ? this.opts.methods[method] : undefined;
    if (!spec) {
      this.send({ id, error: { kind: 'usage', message: `unknown bridge method "${method}"` } });
      return;
    }
    const controller = new AbortController();
    const call: RunningCall = { controller };
    this.running.set(id, call);
    try {
      const result = await spec.run(
        {
          engine: this.opts.engine,
          signal: controller.signal,
          emit: (data) => !controller.signal.aborted && this.send({ id, data }),
          onInput: (handler) => (call.input = handler),
          onResize: (handler) => (call.resize = handler),
        },
        params,
      );
      this.send({ id, result: result ?? null });
    } catch (e) {
      this.send({ id, error: errorPayload(e) });
    } finally {
      this.running.delete(id);
      if (spec.changes) this.changes.actionPerformed(spec.changes);
    }
  }

  /**
   * `input` (`{id, data}`: keystrokes) and `resize` (`{id, cols, rows}`: the terminal's new size) →
   * the running call `id`, which must have asked for them.
   */
  private deliver(id: number, method: 'input' | 'resize', params: Record<string, unknown>): void {
    const target = params.id;
    const { data, cols, rows } = params;
    const size = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 1000;
    const valid = typeof target === 'number' && (method === 'input' ? typeof data === 'string' : size(cols) && size(rows));
    if (!valid) {
      const needs = method === 'input' ? '"data" (a string)' : '"cols" and "rows" (whole numbers from 1 to 1000)';
      this.send({ id, error: { kind: 'invalid', message: `bridge request: ${method} needs "id" (a number) and ${needs}` } });
      return;
    }
    const call = this.running.get(target as number);
    if (!call || call.controller.signal.aborted) {
      this.send({ id, error: { kind: 'not-found', message: `bridge request: no call ${target} is running to take ${method}`, hint: 'the session ended; open it again' } });
      return;
    }
    if (method === 'input') {
      if (!call.input) return void this.send({ id, error: { kind: 'invalid', message: `bridge request: call ${target} does not take input` } });
      call.input(data as string);
    } else {
      if (!call.resize) return void this.send({ id, error: { kind: 'invalid', message: `bridge request: call ${target} has no terminal to resize` } });
      call.resize({ cols: cols as number, rows: rows as number });
    }
    this.send({ id, result: null });
  }
}

/** A call in flight: its abort switch, and where `input` for it goes (interactive calls only). */
interface RunningCall {
  controller: AbortController;
  input?: (data: string) => void;
  resize?: (size: TerminalSize) => void;
}
