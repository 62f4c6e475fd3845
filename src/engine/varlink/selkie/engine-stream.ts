/**
 * The service side of io.selkie's upgraded calls: the engine call gets the connection's streams
 * (stdin from the client's frames, stdout/stderr as frames back), and its outcome goes back as a
 * result frame once its output is flushed. `early` sends a result before the data (export, cp out).
 */
import type { Duplex, Writable } from 'node:stream';
import { framedIo, type FramedIo } from '../podman/framed-io.js';
import { encodeResultFrame } from './result-frame.js';

export interface StreamContext extends FramedIo {
  /** Send a result frame now (the stat of cp out, before the tar). */
  early(result: unknown): Promise<void>;
}

export async function serveEngineStream(socket: Duplex, run: (io: StreamContext) => Promise<unknown>): Promise<void> {
  const io = framedIo(socket);
  const send = (frame: Buffer) => new Promise<void>((resolve) => (socket.destroyed ? resolve() : socket.write(frame, () => resolve())));
  let outcome: { result: unknown } | { error: unknown };
  try {
    outcome = { result: await run({ ...io, early: (result) => send(encodeResultFrame({ result })) }) };
  } catch (e) {
    outcome = { error: e };
  }
  await Promise.all([flushed(io.stdout), flushed(io.stderr)]);
  await send(encodeResultFrame(outcome));
}

/** End a frame writer (if its user did not) and wait until its frames are on the socket. */
function flushed(w: Writable): Promise<void> {
  if (w.writableFinished || w.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    w.once('finish', resolve);
    w.once('error', () => resolve());
    if (!w.writableEnded) w.end();
  });
}
