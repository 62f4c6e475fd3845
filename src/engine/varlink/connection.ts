/**
 * One client connection of the server: decodes requests, runs them one after another (so pipelined
 * calls are answered in order), writes replies unless the call was `oneway`, and hands the socket to
 * the method after an `upgrade` reply. A client that breaks the framing (bad JSON, a message over the
 * size limit) is disconnected; the server goes on serving the others.
 */
import type { Socket } from 'node:net';
import { encodeMessage, isVarlinkCodecError, MessageDecoder } from './codec.js';
import { handOverSocket } from './hand-over.js';
import type { VarlinkService } from './service.js';

export interface ConnectionOptions {
  maxMessageBytes?: number;
  /** Diagnostics (protocol errors, failed upgrades). */
  log?: (message: string) => void;
}

export class VarlinkConnection {
  private readonly decoder: MessageDecoder;
  private readonly abort = new AbortController();
  private busy = false;
  private upgraded = false;
  private readonly onData = (chunk: Buffer) => this.received(chunk);

  constructor(
    private readonly socket: Socket,
    private readonly service: VarlinkService,
    private readonly opts: ConnectionOptions = {},
  ) {
    this.decoder = new MessageDecoder(opts.maxMessageBytes);
    socket.on('data', this.onData);
    socket.on('close', () => this.abort.abort());
    socket.on('error', (e) => this.opts.log?.(`varlink connection error: ${e.message}`));
  }

  /** Resolves when the connection has closed. */
  closed(): Promise<void> {
    if (this.socket.closed) return Promise.resolve();
    return new Promise((resolve) => this.socket.once('close', () => resolve()));
  }

  private received(chunk: Buffer): void {
    try {
      this.decoder.push(chunk);
    } catch (e) {
      this.protocolError(e);
      return;
    }
    // Do not read ahead without bound while a call runs: pause until the queue drains.
    if (this.busy && this.decoder.pendingBytes > 1024 * 1024) this.socket.pause();
    void this.pump();
  }

  private async pump(): Promise<void> {
    if (this.busy || this.upgraded) return;
    this.busy = true;
    try {
      for (;;) {
        if (this.socket.destroyed) return;
        const request = this.decoder.next();
        if (!request) break;
        await this.run(request);
        if (this.upgraded) return;
      }
      this.socket.resume();
    } catch (e) {
      this.protocolError(e);
    } finally {
      this.busy = false;
    }
  }

  private async run(request: Record<string, unknown>): Promise<void> {
    const dispatched = this.service.dispatch(request, this.abort.signal);
    const oneway = request.oneway === true;
    for await (const reply of dispatched.replies) {
      // A client that left ends a stream of replies (the generator's cleanup runs); a oneway call runs to its end.
      if (this.socket.destroyed && !oneway) break;
      if (oneway) continue;
      if (!this.socket.write(encodeMessage(reply))) await this.drained();
    }
    const takeOver = dispatched.takeOver;
    if (!takeOver || this.socket.destroyed) return;
    this.upgraded = true;
    handOverSocket(this.socket, this.onData, this.decoder.takeRemaining());
    try {
      await takeOver(this.socket);
    } catch (e) {
      this.opts.log?.(`varlink upgraded call ${String(request.method)} failed: ${(e as Error).message}`);
    } finally {
      this.socket.end();
    }
  }

  private drained(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.socket.off('drain', done);
        this.socket.off('close', done);
        resolve();
      };
      this.socket.once('drain', done);
      this.socket.once('close', done);
    });
  }

  private protocolError(e: unknown): void {
    this.opts.log?.(isVarlinkCodecError(e) ? `closing varlink connection: ${e.message}` : `varlink connection failed: ${String(e)}`);
    this.socket.destroy();
  }
}
