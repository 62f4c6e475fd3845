/**
 * A varlink client on one connection: `call` (one reply), `callMore` (replies as an async iterator
 * until `continues` is false), `oneway` (no reply) and `upgrade` (the reply, then the raw socket).
 * Calls may be issued without waiting; the server answers them in order, and so are they matched.
 */
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { SelkieError } from '../errors.js';
import { parseVarlinkAddress, type VarlinkAddress, formatVarlinkAddress } from './address.js';
import { encodeMessage, MessageDecoder } from './codec.js';
import { handOverSocket } from './hand-over.js';
import { VarlinkError } from './varlink-error.js';

export type Parameters = Record<string, unknown>;

interface Reply {
  parameters?: Parameters;
  continues?: boolean;
  error?: string;
}

/** A call waiting for its replies; `deliver` returns true when the call is complete. */
interface Pending {
  deliver(reply: Reply): boolean;
  fail(e: Error): void;
  /** An upgrade call: after its reply the connection stops being varlink. */
  upgrade?: boolean;
}

export class VarlinkClient {
  private readonly decoder = new MessageDecoder();
  private readonly pending: Pending[] = [];
  private closedError?: Error;
  private upgraded = false;
  private readonly onData = (chunk: Buffer) => this.received(chunk);

  private constructor(
    private readonly socket: net.Socket,
    readonly address: string,
  ) {
    socket.on('data', this.onData);
    socket.on('error', (e) => this.failAll(new SelkieError('runtime', `varlink connection to ${address} failed: ${e.message}`)));
    socket.on('close', () => this.failAll(new SelkieError('runtime', `varlink connection to ${address} closed before the reply`)));
  }

  /** Connect to `unix:PATH`, `tcp:HOST:PORT` or a parsed address. */
  static connect(address: string | VarlinkAddress): Promise<VarlinkClient> {
    const a = typeof address === 'string' ? parseVarlinkAddress(address) : address;
    const text = formatVarlinkAddress(a);
    return new Promise((resolve, reject) => {
      const socket = a.kind === 'unix' ? net.connect({ path: a.path }) : net.connect({ host: a.host, port: a.port });
      socket.once('error', (e: NodeJS.ErrnoException) =>
        reject(
          new SelkieError('runtime', `cannot connect to the varlink service at ${text}: ${e.message}`, {
            hint: e.code === 'ENOENT' || e.code === 'ECONNREFUSED' ? 'start it with: selkie system service --varlink' : 'check the address and its permissions',
          }),
        ),
      );
      socket.once('connect', () => resolve(new VarlinkClient(socket, text)));
    });
  }

  /** Use an already connected stream (a socketpair, an SSH channel). */
  static fromSocket(socket: net.Socket, address = 'socket'): VarlinkClient {
    return new VarlinkClient(socket, address);
  }

  /** Call a method and resolve with its reply parameters; an error reply rejects with VarlinkError. */
  call(method: string, parameters: Parameters = {}): Promise<Parameters> {
    return new Promise((resolve, reject) => {
      this.send({ method, parameters }, {
        deliver: (r) => {
          if (r.error) reject(new VarlinkError(r.error, r.parameters ?? {}));
          else resolve(r.parameters ?? {});
          return true;
        },
        fail: reject,
      });
    });
  }

  /** Call with `more`: every reply's parameters, until the one without `continues`. */
  callMore(method: string, parameters: Parameters = {}): AsyncIterableIterator<Parameters> {
    const queue: (Reply | Error)[] = [];
    let wake: (() => void) | undefined;
    let done = false;
    this.send({ method, parameters, more: true }, {
      deliver: (r) => {
        queue.push(r);
        wake?.();
        return !r.continues || Boolean(r.error);
      },
      fail: (e) => {
        queue.push(e);
        wake?.();
      },
    });
    const iterator: AsyncIterableIterator<Parameters> = {
      next: async () => {
        if (done) return { done: true, value: undefined };
        while (queue.length === 0) await new Promise<void>((r) => (wake = r));
        wake = undefined;
        const item = queue.shift()!;
        if (item instanceof Error) {
          done = true;
          throw item;
        }
        if (item.error) {
          done = true;
          throw new VarlinkError(item.error, item.parameters ?? {});
        }
        if (!item.continues) done = true;
        return { done: false, value: item.parameters ?? {} };
      },
      return: async () => {
        // Stop reading; the rest of the stream is discarded as it arrives.
        done = true;
        return { done: true, value: undefined };
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }

  /** Call without a reply. Resolves once the request is written. */
  oneway(method: string, parameters: Parameters = {}): Promise<void> {
    if (this.closedError) return Promise.reject(this.closedError);
    return new Promise((resolve, reject) => this.socket.write(encodeMessage({ method, parameters, oneway: true }), (e) => (e ? reject(e) : resolve())));
  }

  /** Call with `upgrade`: resolves with the reply and the socket, now a raw byte stream (paused until read). */
  upgrade(method: string, parameters: Parameters = {}): Promise<{ parameters: Parameters; socket: Duplex }> {
    return new Promise((resolve, reject) => {
      this.send({ method, parameters, upgrade: true }, {
        upgrade: true,
        deliver: (r) => {
          if (r.error) reject(new VarlinkError(r.error, r.parameters ?? {}));
          else resolve({ parameters: r.parameters ?? {}, socket: this.socket });
          return true;
        },
        fail: reject,
      });
    });
  }

  close(): void {
    this.socket.end();
    this.socket.destroy();
  }

  private send(request: Parameters, pending: Pending): void {
    if (this.closedError || this.upgraded) {
      pending.fail(this.closedError ?? new SelkieError('runtime', `the varlink connection to ${this.address} was upgraded; open another one`));
      return;
    }
    this.pending.push(pending);
    this.socket.write(encodeMessage(request));
  }

  private received(chunk: Buffer): void {
    try {
      this.decoder.push(chunk);
      for (;;) {
        const message = this.decoder.next();
        if (!message) return;
        const head = this.pending[0];
        if (!head) throw new SelkieError('runtime', `varlink service at ${this.address} sent a reply nobody asked for`);
        if (head.deliver(message as Reply)) this.pending.shift();
        if (head.upgrade && !(message as Reply).error) {
          this.upgraded = true;
          handOverSocket(this.socket, this.onData, this.decoder.takeRemaining());
          return;
        }
      }
    } catch (e) {
      this.failAll(e instanceof Error ? e : new Error(String(e)));
      this.socket.destroy();
    }
  }

  private failAll(e: Error): void {
    if (this.upgraded) return;
    this.closedError ??= e;
    for (const p of this.pending.splice(0)) p.fail(e);
  }
}
