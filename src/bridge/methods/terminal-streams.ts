/**
 * The streams an interactive bridge call hands the engine: stdin fed by the page's `input` requests,
 * stdout/stderr decoded as UTF-8 (a character split across chunks waits for its rest) and sent to the
 * page as `data` messages ({stream, text}), coalesced over a few milliseconds so a burst of output is
 * one message, not hundreds.
 */
import { EventEmitter } from 'node:events';
import { PassThrough, Writable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import type { AttachStreams, TerminalSize } from '../../engine/engine.js';
import type { TerminalOutput } from '../protocol.js';
import type { MethodContext } from './method-types.js';

const FLUSH_MS = 4;
const MAX_PENDING = 32 * 1024;

export interface TerminalStreams {
  streams: AttachStreams;
  /** Send what is still pending (before the call's response). */
  flush(): void;
  /** Stop sending output and taking input (the page cancelled). */
  quiet(): void;
}

export function terminalStreams(ctx: MethodContext, size?: TerminalSize): TerminalStreams {
  const stdin = new PassThrough();
  let quiet = false;
  ctx.onInput((data) => !quiet && stdin.write(data));
  // The page's terminal size: the latest one goes to the engine as soon as it listens, then each change.
  const resize = new EventEmitter();
  let latest = size;
  resize.on('newListener', (event: string, listener: (s: TerminalSize) => void) => {
    if (event === 'resize' && latest) queueMicrotask(() => latest && listener(latest));
  });
  ctx.onResize((s) => {
    latest = s;
    if (!quiet) resize.emit('resize', s);
  });
  const pending: Record<TerminalOutput['stream'], string> = { stdout: '', stderr: '' };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    for (const stream of ['stdout', 'stderr'] as const) {
      if (pending[stream] && !quiet) ctx.emit({ stream, text: pending[stream] } satisfies TerminalOutput);
      pending[stream] = '';
    }
  };
  const output = (stream: TerminalOutput['stream']) => {
    const decoder = new StringDecoder('utf8');
    const add = (text: string) => {
      if (quiet || !text) return;
      pending[stream] += text;
      if (pending[stream].length >= MAX_PENDING) flush();
      else timer ??= setTimeout(flush, FLUSH_MS);
    };
    return new Writable({
      write(chunk: Buffer | string, _enc, done) {
        add(typeof chunk === 'string' ? chunk : decoder.write(chunk));
        done();
      },
      final(done) {
        add(decoder.end());
        done();
      },
    });
  };
  return {
    streams: { stdin, stdout: output('stdout'), stderr: output('stderr'), resize },
    flush,
    quiet: () => {
      flush();
      quiet = true;
    },
  };
}

/** Resolves with the session's outcome, or with undefined as soon as the call is cancelled. */
export function untilCancelled<T>(session: Promise<T>, signal: AbortSignal): Promise<{ value: T } | undefined> {
  if (signal.aborted) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const onAbort = () => resolve(undefined);
    signal.addEventListener('abort', onAbort, { once: true });
    session.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve({ value });
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
