/**
 * The page's side of an interactive bridge call (containers.attach / containers.exec): output to a
 * callback, typed text sent as `input` requests (keys typed within one tick go as one request, in
 * order), terminal sizes as `resize` requests, `cancel()` ends the session. `done` says how it ended.
 */
import type { TerminalEnd, TerminalOutput } from '../../bridge/protocol.js';
import type { BridgeClient } from '../bridge-client.js';

export interface TerminalSession {
  send(data: string): void;
  /** The terminal's new size (sent as a `resize` request once the call has its id). */
  resize(size: { cols: number; rows: number }): void;
  cancel(): void;
  done: Promise<TerminalEnd>;
}

export function startTerminalSession(client: BridgeClient, method: 'containers.attach' | 'containers.exec', params: Record<string, unknown>, onOutput: (text: string) => void): TerminalSession {
  const abort = new AbortController();
  let id: number | undefined;
  let ended = false;
  let queued = '';
  let size: { cols: number; rows: number } | undefined;
  const sendSize = () => {
    if (!size || ended || abort.signal.aborted || id === undefined) return;
    client.call('resize', { id, ...size }).catch(() => undefined);
    size = undefined;
  };
  const done = client
    .call<TerminalEnd>(method, params, {
      signal: abort.signal,
      onId: (n) => {
        id = n;
        sendSize();
      },
      onData: (d) => !abort.signal.aborted && onOutput((d as TerminalOutput).text),
    })
    .finally(() => (ended = true));
  const flush = () => {
    const data = queued;
    queued = '';
    if (!data || ended || abort.signal.aborted || id === undefined) return;
    // A refused input (the session just ended) shows in `done`, not here.
    client.call('input', { id, data }).catch(() => undefined);
  };
  return {
    send: (data) => {
      if (ended || abort.signal.aborted) return;
      if (!queued) queueMicrotask(flush);
      queued += data;
    },
    resize: (s) => {
      size = s;
      sendSize();
    },
    cancel: () => abort.abort(),
    done,
  };
}

