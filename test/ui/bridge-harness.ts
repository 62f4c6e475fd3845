/** A BridgeServer on a fake engine, with the page side either raw (lines) or a real BridgeClient. */
import { BridgeServer } from '../../src/bridge/bridge-server.js';
import { LineSplitter } from '../../src/bridge/json-lines.js';
import { allMethods } from '../../src/bridge/methods/all-methods.js';
import type { BridgeErrorPayload, BridgeHello, BridgeMessage } from '../../src/bridge/protocol.js';
import { BridgeClient, type TransportFactory } from '../../src/ui/bridge-client.js';
import { type FakeEngine, fakeEngine } from './fake-engine.js';

export const hello = { version: '0.0.0-test', uid: 0, defaultCapabilities: ['CAP_CHOWN', 'CAP_KILL'] };

export function rawBridge(fake: FakeEngine = fakeEngine()) {
  const out: BridgeMessage[] = [];
  const splitter = new LineSplitter();
  const server = new BridgeServer({ engine: fake.engine, methods: allMethods, hello, write: (line) => splitter.push(line).forEach((l) => out.push(JSON.parse(l) as BridgeMessage)) });
  const waitFor = async (pred: (m: BridgeMessage) => boolean, timeoutMs = 2000): Promise<BridgeMessage> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = out.find(pred);
      if (m) return m;
      if (Date.now() > deadline) throw new Error(`no such message; got ${JSON.stringify(out)}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  const response = (id: number) => waitFor((m) => 'id' in m && m.id === id && ('result' in m || 'error' in m));
  return { fake, server, out, waitFor, response, send: (o: unknown) => server.receive(`${JSON.stringify(o)}\n`) };
}

/** A BridgeClient talking to a BridgeServer in memory; `kill()` drops the connection as a dying bridge would. */
export function connectedClient(fake: FakeEngine = fakeEngine()) {
  let connections = 0;
  let dropCurrent: (reason: string) => void = () => undefined;
  const client = new BridgeClient(({ onText, onClose }) => {
    connections++;
    let open = true;
    const server = new BridgeServer({ engine: fake.engine, methods: allMethods, hello, write: (line) => open && queueMicrotask(() => open && onText(line)) });
    dropCurrent = (reason) => {
      open = false;
      server.close();
      onClose(reason);
    };
    return { send: (text) => open && queueMicrotask(() => server.receive(text)), close: () => (open = false) };
  });
  return { client, fake, connections: () => connections, kill: (reason: string) => dropCurrent(reason) };
}

/**
 * A transport factory for one fake engine (as cockpitTransport is for a real bridge): each connection
 * is a BridgeServer in memory saying `hello`. `fail` makes the next connections do what a bridge that
 * cannot reach its service does: a `failed` notification, then the end of the stream. `readyAfterMs`
 * delays the bridge's start (requests sent meanwhile wait, as in a real bridge's stdin).
 */
export function fakeTransport(fake: FakeEngine, helloOver: Partial<BridgeHello> = {}) {
  const state = { connections: 0, fail: undefined as BridgeErrorPayload | undefined, denied: false, readyAfterMs: 0 };
  const factory: TransportFactory = ({ onText, onClose }) => {
    state.connections++;
    if (state.denied) {
      queueMicrotask(() => onClose('access denied', 'access-denied'));
      return { send: () => undefined, close: () => undefined };
    }
    if (state.fail) {
      const failure = state.fail;
      queueMicrotask(() => {
        onText(`${JSON.stringify({ notify: 'failed', params: failure })}\n`);
        onClose('exit status 1');
      });
      return { send: () => undefined, close: () => undefined };
    }
    let open = true;
    let server: BridgeServer | undefined;
    const waiting: string[] = [];
    const start = () => {
      if (!open) return;
      server = new BridgeServer({ engine: fake.engine, methods: allMethods, hello: { ...hello, ...helloOver }, write: (line) => open && queueMicrotask(() => open && onText(line)) });
      for (const text of waiting.splice(0)) server.receive(text);
    };
    if (state.readyAfterMs) setTimeout(start, state.readyAfterMs);
    else start();
    return {
      send: (text) => open && queueMicrotask(() => (server ? server.receive(text) : waiting.push(text))),
      close: () => {
        open = false;
        server?.close();
      },
    };
  };
  return { factory, state };
}
