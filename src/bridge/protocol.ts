/**
 * The page ↔ bridge protocol: one JSON object per line (JSON lines) over the bridge's stdin/stdout.
 * Types only (plus the framing helper in json-lines.ts), so the UI bundle imports it for free.
 * README.md next to this file describes it for humans.
 */

/** Page → bridge: call `method` with `params`; answered by exactly one response with the same id. */
export interface BridgeRequest {
  id: number;
  method: string;
  params?: unknown;
}

/** What a failed call answers: the engine's SelkieError fields (kind, message naming the object, hint). */
export interface BridgeErrorPayload {
  kind: string;
  message: string;
  hint?: string;
}

/** Bridge → page: the end of a call. */
export type BridgeResponse = { id: number; result: unknown } | { id: number; error: BridgeErrorPayload };

/** Bridge → page: a partial result of a streaming call (pull progress, log lines) before its response. */
export interface BridgeData {
  id: number;
  data: unknown;
}

/** What changed, so the page refreshes only those lists. */
export type ChangeScope = 'containers' | 'pods' | 'images';

/** Bridge → page, unsolicited. */
export type BridgeNotification =
  | { notify: 'ready'; params: BridgeHello }
  | { notify: 'changed'; params: { scopes: ChangeScope[]; source: 'action' | 'events' } }
  /** The bridge could not reach (or start) its engine's service; it exits after this. */
  | { notify: 'failed'; params: BridgeErrorPayload };

/** Sent once when the bridge has its engine. */
export interface BridgeHello {
  protocol: 1;
  /** The engine's version ("0.1.0"). */
  version: string;
  /** Whether the bridge runs as root (a system engine) or as a user (rootless). */
  uid: number;
  /** The engine's default capability set, for the Security tab's comparison. */
  defaultCapabilities: string[];
  /** Where change notifications come from: the engine's event stream, or the bridge's own actions. */
  changeSource: 'action' | 'events';
  /** The engine's service (varlink address) and whom it runs as (uid 0: the system engine). */
  engine?: { url: string; uid: number; user: string };
}

export type BridgeMessage = BridgeResponse | BridgeData | BridgeNotification;

export const isResponse = (m: BridgeMessage): m is BridgeResponse => 'id' in m && ('result' in m || 'error' in m);
export const isData = (m: BridgeMessage): m is BridgeData => 'id' in m && 'data' in m;
export const isNotification = (m: BridgeMessage): m is BridgeNotification => 'notify' in m;

/** A `data` message of an interactive call (containers.attach / containers.exec): terminal output as text. */
export interface TerminalOutput {
  stream: 'stdout' | 'stderr';
  text: string;
}

/** The response of an interactive call: how the session ended. */
export interface TerminalEnd {
  /** The exec'd process's exit code (exec only; absent when cancelled). */
  exitCode?: number;
  /** attach: the attachment ended while the container runs on. */
  detached?: boolean;
  /** The page cancelled the session. */
  cancelled?: boolean;
}
