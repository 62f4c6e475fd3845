/**
 * Attaching to a container: the native helper selkie-attach speaks conmon's SOCK_SEQPACKET attach
 * socket and writes the container's output straight to the fds it was given. With `inherit` those are
 * the CLI's own stdio, so no byte passes through Node; with `streams` Node pipes them.
 *
 * attach() resolves once the helper is connected — start the container only then, or early output is
 * lost — and `done` resolves when the helper exits: the socket closed (the container exited and conmon
 * drained its output) or the user typed the detach keys.
 */
import { spawn, type StdioOptions } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import fs from 'node:fs';
import type { AttachStreams, TerminalSize } from '../engine.js';
import { SelkieError } from '../errors.js';
import { nativeBinary } from './native-binary.js';

export interface AttachOptions {
  /** Relay stdin to the container. */
  stdin?: boolean;
  /** The container has a terminal: the helper puts the caller's terminal in raw mode. */
  tty?: boolean;
  /** Docker syntax ("ctrl-p,ctrl-q", the default); "" disables detaching. */
  detachKeys?: string;
  /** conmon's ctl fifo (ConmonStarted.ctlFifo): the helper forwards terminal size changes. */
  ctlFifo?: string;
  /**
   * Milliseconds to wait for the socket to appear. conmon creates it before it runs `runtime
   * create`, so attaching can overlap the create: start attach() with this, then startConmon().
   */
  waitForSocket?: number;
  /** Aborting it ends the helper (e.g. it still waits for a socket conmon will not make). */
  signal?: AbortSignal;
}

export type AttachIo = { inherit: true } | { streams: Pick<AttachStreams, 'stdin' | 'stdout' | 'stderr' | 'resize'> };

export interface AttachResult {
  /** The user typed the detach keys, or stop() was called; the container keeps running. */
  detached: boolean;
}

export interface AttachSession {
  /** The helper's pid. */
  pid: number;
  done: Promise<AttachResult>;
  /**
   * Stop relaying (the container is not affected); `done` then resolves as detached. The helper
   * ignores SIGINT, so a CLI decides what ctrl-c means: signal the container, or call this.
   */
  stop(): void;
}

const EXIT_DETACHED = 3;

export async function attach(socketPath: string, io: AttachIo, opts: AttachOptions = {}): Promise<AttachSession> {
  const args = [socketPath, '--ready-fd', '3'];
  if (opts.stdin) args.push('--stdin');
  if (opts.tty) args.push('--tty');
  if (opts.detachKeys !== undefined) args.push('--detach-keys', opts.detachKeys);
  if (opts.ctlFifo) args.push('--resize', opts.ctlFifo);
  if (opts.waitForSocket) args.push('--wait-ms', String(Math.ceil(opts.waitForSocket)));

  const streams = 'streams' in io ? io.streams : undefined;
  const stdio: StdioOptions = streams
    ? [opts.stdin && streams.stdin ? 'pipe' : 'ignore', streams.stdout ? 'pipe' : 'ignore', streams.stderr ? 'pipe' : 'ignore', 'pipe']
    : [opts.stdin ? 'inherit' : 'ignore', 'inherit', 'inherit', 'pipe'];
  const child = spawn(nativeBinary('selkie-attach'), args, { stdio, signal: opts.signal });

  let stderrText = '';
  if (streams) {
    if (streams.stdout) child.stdout!.pipe(streams.stdout, { end: false });
    if (streams.stderr) child.stderr!.pipe(streams.stderr, { end: false });
    if (opts.stdin && streams.stdin) {
      child.stdin!.on('error', () => {}); // the helper may exit before stdin ends
      streams.stdin.pipe(child.stdin!);
    }
  }

  // A client's terminal size (a page, a remote CLI) goes to conmon's ctl fifo as "1 ROWS COLS".
  const ctlFifo = opts.ctlFifo;
  const onResize = streams?.resize && ctlFifo && opts.tty ? (size: TerminalSize) => writeResize(ctlFifo, size) : undefined;
  if (onResize) streams!.resize!.on('resize', onResize);

  const closed = new Promise<number>((resolve, reject) => {
    child.once('error', (e) => reject(new SelkieError('runtime', `cannot run selkie-attach: ${e.message}`, { cause: e })));
    child.once('close', (code, signal) => {
      if (onResize) streams!.resize!.off('resize', onResize);
      if (streams?.stdin && child.stdin) streams.stdin.unpipe(child.stdin);
      resolve(code ?? (signal ? 128 : 1));
    });
  });
  if (child.stderr && !streams?.stderr) child.stderr.on('data', (d: Buffer) => (stderrText += d.toString()));

  const ready = await readReady(child.stdio[3] as Readable);
  if (ready !== 'ok') {
    await closed.catch(() => {});
    throw new SelkieError('runtime', `cannot attach to the container: ${ready.replace(/^error:\s*/, '') || 'the attach helper failed'}`);
  }

  let stopped = false;
  const done = closed.then((code) => {
    if (code === 0) return { detached: false };
    if (code === EXIT_DETACHED || stopped) return { detached: true };
    throw new SelkieError('runtime', `attaching to the container failed (selkie-attach exit status ${code})${stderrText ? `: ${stderrText.trim()}` : ''}`);
  });
  done.catch(() => {}); // the caller may only look at it later
  return {
    pid: child.pid ?? 0,
    done,
    stop: () => {
      stopped = true;
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    },
  };
}

/** The runner's form: the engine's AttachStreams, inheriting the CLI's stdio when it says so. */
export function attachToContainer(socketPath: string, streams: AttachStreams, opts: AttachOptions = {}): Promise<AttachSession> {
  const io: AttachIo = streams.inheritStdio ? { inherit: true } : { streams };
  return attach(socketPath, io, opts);
}

/** One resize message to conmon's ctl fifo; a fifo nobody reads any more (the container exited) is ignored. */
function writeResize(ctlFifo: string, size: TerminalSize): void {
  const rows = Math.max(1, Math.min(0xffff, Math.floor(size.rows)));
  const cols = Math.max(1, Math.min(0xffff, Math.floor(size.cols)));
  if (!Number.isFinite(rows) || !Number.isFinite(cols)) return;
  let fd: number | undefined;
  try {
    fd = fs.openSync(ctlFifo, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK);
    fs.writeSync(fd, `1 ${rows} ${cols}\n`);
  } catch {
    // conmon is gone, or the fifo is full: a later size wins anyway
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** The helper's first line on the ready fd: "ok" or "error: …" ("" if it closed without one). */
function readReady(pipe: Readable): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    pipe.on('data', (d: Buffer) => {
      text += d.toString();
      if (text.includes('\n')) {
        pipe.destroy();
        resolve(text.split('\n')[0]!.trim());
      }
    });
    pipe.once('close', () => resolve(text.trim()));
    pipe.once('error', () => resolve(text.trim()));
  });
}
