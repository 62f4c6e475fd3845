/**
 * The page's side of the bridge protocol (src/bridge/protocol.ts): requests with promises, partial
 * data to callbacks, notifications to listeners. When the transport closes (the bridge died, Cockpit
 * lost it) every open call fails with a "lost the engine" error, listeners hear 'disconnected', and
 * the client reconnects with a growing delay.
 */
import { encodeLine, LineSplitter } from '../bridge/json-lines.js';
import { type BridgeErrorPayload, type BridgeHello, type BridgeMessage, type ChangeScope, isData, isNotification, isResponse } from '../bridge/protocol.js';
import { _ } from './i18n.js';

/** A byte stream to one bridge process. */
export interface BridgeTransport {
  send(text: string): void;
  close(): void;
}

export interface TransportHandlers {
  onText(text: string): void;
  /**
   * The bridge is gone; `reason` says why when known (its stderr, the exit status). `problem`
   * 'access-denied': the bridge may not run as asked (no administrative access) — not retried.
   */
  onClose(reason: string, problem?: string): void;
}

export type TransportFactory = (handlers: TransportHandlers) => BridgeTransport;

export class BridgeCallError extends Error {
  readonly kind: string;
  readonly hint?: string;
  constructor(payload: BridgeErrorPayload) {
    super(payload.message);
    this.name = 'BridgeCallError';
    this.kind = payload.kind;
    this.hint = payload.hint;
  }
}

export type ConnectionStatus =
  | { state: 'connecting' }
  | { state: 'connected'; hello: BridgeHello }
  | { state: 'disconnected'; reason: string; retryInMs: number }
  /** The bridge could not reach its engine (it said so, then exited), or may not run: not retried until `retry()`. */
  | { state: 'failed'; failure: BridgeErrorPayload };

interface OpenCall {
  resolve(v: unknown): void;
  reject(e: Error): void;
  onData?: (data: unknown) => void;
}

export interface CallOptions {
  onData?: (data: unknown) => void;
  signal?: AbortSignal;
  /** Learns the call's id at once (an interactive call's `input` requests name it). */
  onId?: (id: number) => void;
}

const RETRY_DELAYS_MS = [500, 1000, 2000, 5000];

export class BridgeClient {
  private transport?: BridgeTransport;
  private splitter = new LineSplitter();
  private nextId = 1;
  private readonly calls = new Map<number, OpenCall>();
  private readonly changeListeners = new Set<(scopes: ChangeScope[]) => void>();
  private readonly statusListeners = new Set<(s: ConnectionStatus) => void>();
  private failures = 0;
  private generation = 0;
  private retryTimer?: ReturnType<typeof setTimeout>;
  private closed = false;
  /** What the bridge said before exiting (`failed` notification). */
  private failure?: BridgeErrorPayload;
  status: ConnectionStatus = { state: 'connecting' };

  constructor(private readonly factory: TransportFactory) {
    this.connect();
  }

  /** Call a bridge method; resolves with its result, rejects with a BridgeCallError. */
  call<T = unknown>(method: string, params: Record<string, unknown> = {}, opts: CallOptions = {}): Promise<T> {
    if (!this.transport) return Promise.reject(new BridgeCallError({ kind: 'disconnected', message: this.lostMessage() }));
    const id = this.nextId++;
    const transport = this.transport;
    return new Promise<T>((resolve, reject) => {
      this.calls.set(id, { resolve: resolve as (v: unknown) => void, reject, onData: opts.onData });
      opts.onId?.(id);
      transport.send(encodeLine({ id, method, params }));
      opts.signal?.addEventListener('abort', () => this.calls.has(id) && this.transport?.send(encodeLine({ id: this.nextId++, method: 'cancel', params: { id } })), {
        once: true,
      });
    });
  }

  onChange(cb: (scopes: ChangeScope[]) => void): () => void {
    this.changeListeners.add(cb);
    return () => this.changeListeners.delete(cb);
  }

  onStatus(cb: (s: ConnectionStatus) => void): () => void {
    this.statusListeners.add(cb);
    return () => this.statusListeners.delete(cb);
  }

  /** Connect again now (after a failure, or instead of waiting for the next automatic attempt). */
  retry(): void {
    if (this.closed || this.status.state === 'connected' || this.status.state === 'connecting') return;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.connect();
  }

  close(): void {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.transport?.close();
    this.transport = undefined;
  }

  private lostMessage(): string {
    if (this.status.state === 'failed') return this.status.failure.message;
    return this.status.state === 'disconnected' ? `${_('Lost the connection to the Selkie engine')}: ${this.status.reason}` : _('Not connected to the Selkie engine yet');
  }

  private setStatus(s: ConnectionStatus): void {
    this.status = s;
    for (const cb of this.statusListeners) cb(s);
  }

  private connect(): void {
    this.splitter = new LineSplitter();
    this.failure = undefined;
    const generation = ++this.generation;
    this.setStatus({ state: 'connecting' });
    const transport = this.factory({
      onText: (text) => {
        if (generation !== this.generation) return;
        for (const line of this.splitter.push(text)) this.handle(line);
      },
      onClose: (reason, problem) => {
        // A close of an older connection (after a reconnect) changes nothing.
        if (generation !== this.generation) return;
        this.generation++;
        if (problem === 'access-denied' && !this.failure) {
          this.failure = { kind: 'access-denied', message: _('Administrative access is needed for the system engine'), hint: _('turn on administrative access in Cockpit, then try again') };
        }
        this.lost(reason);
      },
    });
    if (generation === this.generation && !this.closed) this.transport = transport;
  }

  private lost(reason: string): void {
    this.transport = undefined;
    if (this.closed) return;
    if (this.failure) {
      // Reconnecting would fail the same way: the page offers "Try again" instead.
      const error = new BridgeCallError(this.failure);
      for (const c of this.calls.values()) c.reject(error);
      this.calls.clear();
      this.setStatus({ state: 'failed', failure: this.failure });
      return;
    }
    const retryInMs = RETRY_DELAYS_MS[Math.min(this.failures, RETRY_DELAYS_MS.length - 1)];
    this.failures++;
    this.setStatus({ state: 'disconnected', reason: reason || _('the bridge process ended'), retryInMs });
    const error = new BridgeCallError({ kind: 'disconnected', message: this.lostMessage() });
    for (const c of this.calls.values()) c.reject(error);
    this.calls.clear();
    this.retryTimer = setTimeout(() => this.connect(), retryInMs);
  }

  private handle(line: string): void {
    let m: BridgeMessage;
    try {
      m = JSON.parse(line) as BridgeMessage;
    } catch {
      return;
    }
    if (isNotification(m)) {
      if (m.notify === 'ready') {
        this.failures = 0;
        this.setStatus({ state: 'connected', hello: m.params });
        // After a reconnect everything may have changed.
        for (const cb of this.changeListeners) cb(['containers', 'pods', 'images']);
      } else if (m.notify === 'changed') {
        for (const cb of this.changeListeners) cb(m.params.scopes);
      } else if (m.notify === 'failed') {
        // The bridge exits next; its close then ends in the 'failed' state.
        this.failure = m.params;
      }
      return;
    }
    if (isData(m)) {
      this.calls.get(m.id)?.onData?.(m.data);
      return;
    }
    if (isResponse(m)) {
      const c = this.calls.get(m.id);
      if (!c) return;
      this.calls.delete(m.id);
      if ('error' in m) c.reject(new BridgeCallError(m.error));
      else c.resolve(m.result);
    }
  }
}
