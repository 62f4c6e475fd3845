/**
 * How the remote engine talks to the service: plain calls share one connection (pipelined, answered
 * in order); a stream of replies (`more`: logs, events, pull progress) and an upgraded call (attach,
 * exec, tar streams) each get a connection of their own, closed when the caller is done, so a
 * stopped `logs -f` ends the call on the service. io.selkie.EngineError replies become the same
 * SelkieError the local engine would have thrown.
 */
import net from 'node:net';
import type { Duplex, Readable, Writable } from 'node:stream';
import type { TerminalResizes, TerminalSize } from '../engine.js';
import { SelkieError, isSelkieError } from '../errors.js';
import { VarlinkClient, type Parameters } from '../varlink/client.js';
import { encodeVirtFrame, VirtDest, VirtFrameDecoder } from '../varlink/podman/virt-stream.js';
import { RESULT_FRAME, selkieErrorFrom } from '../varlink/selkie/result-frame.js';
import { isVarlinkError } from '../varlink/varlink-error.js';
import { openSharedSshStream, sshLabel } from './ssh-stream.js';
import type { RemoteTarget } from './remote-target.js';

export interface StreamEnds {
  stdin?: Readable;
  stdout?: Writable;
  stderr?: Writable;
  /** Called with every successful result frame as it arrives (cp out's stat comes before its tar). */
  onResult?: (result: unknown) => void;
  /** Terminal size changes, sent as resize frames. */
  resize?: TerminalResizes;
  /** Aborting it closes the call's connection (the service ends the call); the result is then undefined. */
  signal?: AbortSignal;
}

export class RemoteCalls {
  private main?: Promise<VarlinkClient>;
  private readonly open = new Set<VarlinkClient>();

  constructor(readonly target: RemoteTarget) {}

  get label(): string {
    return this.target.kind === 'unix' ? `unix://${this.target.path}` : sshLabel(this.target);
  }

  /** One method call on the shared connection. */
  async call(method: string, parameters: Parameters = {}): Promise<Parameters> {
    this.main ??= this.connect();
    const client = await this.main.catch((e: unknown) => {
      this.main = undefined;
      throw e;
    });
    try {
      return await client.call(`io.selkie.${method}`, parameters);
    } catch (e) {
      throw this.asSelkieError(e);
    }
  }

  /** A call with `more` on its own connection: the replies as they come; closing the iteration closes it. */
  async *more(method: string, parameters: Parameters = {}): AsyncIterable<Parameters> {
    const client = await this.connect();
    try {
      for await (const reply of client.callMore(`io.selkie.${method}`, parameters)) yield reply;
    } catch (e) {
      throw this.asSelkieError(e);
    } finally {
      this.release(client);
    }
  }

  /**
   * An upgraded call on its own connection: stdin goes out as frames (then a hang-up), stdout and
   * stderr frames are written to the given streams; resolves with the last result frame's value.
   */
  async stream(method: string, parameters: Parameters, ends: StreamEnds): Promise<unknown> {
    const client = await this.connect();
    let socket: Duplex;
    try {
      socket = (await client.upgrade(`io.selkie.${method}`, parameters)).socket;
    } catch (e) {
      this.release(client);
      throw this.asSelkieError(e);
    }
    return new Promise((resolve, reject) => {
      const decoder = new VirtFrameDecoder();
      let last: { result: unknown } | { error: Record<string, unknown> } | undefined;
      const onStdin = (d: Buffer) => socket.write(encodeVirtFrame(VirtDest.Stdin, d));
      const onStdinEnd = () => socket.write(encodeVirtFrame(VirtDest.HangUpFromClient, Buffer.alloc(0)));
      const stdin = ends.stdin;
      if (stdin) {
        stdin.on('data', onStdin);
        stdin.once('end', onStdinEnd);
      }
      const onResize = (s: TerminalSize) => socket.write(encodeVirtFrame(VirtDest.TerminalResize, JSON.stringify({ Width: s.cols, Height: s.rows })));
      ends.resize?.on('resize', onResize);
      const onAbort = () => socket.destroy();
      if (ends.signal?.aborted) onAbort();
      else ends.signal?.addEventListener('abort', onAbort, { once: true });
      const finish = () => {
        ends.resize?.off('resize', onResize);
        ends.signal?.removeEventListener('abort', onAbort);
        if (stdin) {
          stdin.off('data', onStdin);
          stdin.off('end', onStdinEnd);
          stdin.pause();
        }
        this.release(client);
        if (!last && ends.signal?.aborted) resolve(undefined);
        else if (!last) reject(new SelkieError('runtime', `the connection to ${this.label} closed before ${method} finished`, { hint: 'see the service log (selkie --log-level debug system service --varlink)' }));
        else if ('error' in last) reject(selkieErrorFrom(last.error));
        else resolve(last.result);
      };
      socket.on('data', (chunk: Buffer) => {
        let frames;
        try {
          frames = decoder.push(chunk);
        } catch (e) {
          socket.destroy(e as Error);
          return;
        }
        for (const f of frames) {
          if (f.dest === VirtDest.Stdout) ends.stdout?.write(f.data);
          else if (f.dest === VirtDest.Stderr) ends.stderr?.write(f.data);
          else if (f.dest === RESULT_FRAME) {
            last = JSON.parse(f.data.toString('utf8')) as typeof last;
            if (last && 'result' in last) ends.onResult?.(last.result);
          }
        }
      });
      socket.once('close', finish);
      socket.on('error', () => undefined);
    });
  }

  close(): void {
    for (const c of this.open) c.close();
    this.open.clear();
    this.main = undefined;
  }

  private async connect(): Promise<VarlinkClient> {
    let client: VarlinkClient;
    if (this.target.kind === 'unix') {
      client = await VarlinkClient.connect({ kind: 'unix', path: this.target.path }).catch((e: unknown) => {
        throw new SelkieError('runtime', `cannot connect to the selkie service at ${this.label}: ${(e as Error).message.replace(/^.*?: (?=\w+ \S+$)/, '')}`, {
          hint: 'start it there with: selkie system service --varlink (or its socket unit)',
        });
      });
    } else {
      const stream = await openSharedSshStream(this.target).catch((e: unknown) => {
        throw new SelkieError('runtime', (e as Error).message, { hint: 'check the host, port, user and --identity key, and that selkie is installed there' });
      });
      client = VarlinkClient.fromSocket(stream as unknown as net.Socket, this.label);
    }
    this.open.add(client);
    return client;
  }

  private release(client: VarlinkClient): void {
    this.open.delete(client);
    client.close();
  }

  private asSelkieError(e: unknown): unknown {
    if (isVarlinkError(e)) {
      if (e.error === 'io.selkie.EngineError') return selkieErrorFrom(e.parameters);
      return new SelkieError('runtime', `the selkie service at ${this.label} answered ${e.message}`, { hint: 'is it the same selkie version as this client? (selkie --url … version)' });
    }
    if (isSelkieError(e) && this.target.kind === 'ssh') return new SelkieError(e.kind, e.message, { hint: 'check the host, port, user and --identity key, and that selkie is installed there' });
    return e;
  }
}
