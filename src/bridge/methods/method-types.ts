/** What a bridge method is: a function of the engine and the request's params, and what it changes. */
import type { Engine, TerminalSize } from '../../engine/engine.js';
import type { ChangeScope } from '../protocol.js';

export interface MethodContext {
  engine: Engine;
  /** Send a partial result (a `data` message for this request). */
  emit(data: unknown): void;
  /** Aborted when the page cancels the request or the bridge shuts down. */
  signal: AbortSignal;
  /** Take the page's `input` requests addressed to this call (an interactive session's keystrokes). */
  onInput(handler: (data: string) => void): void;
  /** Take the page's `resize` requests addressed to this call (its terminal's new size). */
  onResize(handler: (size: TerminalSize) => void): void;
}

export interface MethodSpec {
  run(ctx: MethodContext, params: Record<string, unknown>): Promise<unknown>;
  /** Lists the method may change: the bridge announces them after the call, success or failure. */
  changes?: ChangeScope[];
}

export type MethodTable = Record<string, MethodSpec>;
