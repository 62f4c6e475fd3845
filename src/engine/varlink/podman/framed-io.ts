/**
 * The streams of an upgraded Attach/ExecContainer connection: stdin fed by the client's stdin
 * frames (ended by its hang-up frame or the connection closing), stdout and stderr written back as
 * frames, and the final quit frame with the exit code.
 */
import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import { PassThrough, Writable } from 'node:stream';
import { encodeQuitFrame, encodeVirtFrame, VirtDest, VirtFrameDecoder } from './virt-stream.js';

export interface FramedIo {
  stdin: PassThrough;
  /** The client's terminal size changes (resize frames), for AttachStreams.resize. */
  resize: EventEmitter;
  /** Aborted when the client's connection closes (for AttachStreams.signal: the attachment ends). */
  closed: AbortSignal;
  stdout: Writable;
  stderr: Writable;
  /** Send the quit frame with the exit code; resolves once written. */
  quit(exitCode: number): Promise<void>;
}

export function framedIo(socket: Duplex): FramedIo {
  const stdin = new PassThrough();
  const resize = new EventEmitter();
  const decoder = new VirtFrameDecoder();
  socket.on('data', (chunk: Buffer) => {
    try {
      for (const f of decoder.push(chunk)) {
        if (f.dest === VirtDest.Stdin) stdin.write(f.data);
        else if (f.dest === VirtDest.HangUpFromClient) stdin.end();
        else if (f.dest === VirtDest.TerminalResize) {
          const size = parseResize(f.data);
          if (size) resize.emit('resize', size);
        }
      }
    } catch {
      socket.destroy();
    }
  });
  const closed = new AbortController();
  socket.on('close', () => {
    stdin.end();
    closed.abort();
  });
  const framed = (dest: number) =>
    new Writable({
      write(chunk: Buffer, _enc, done) {
        if (socket.destroyed) return done();
        socket.write(encodeVirtFrame(dest, chunk), () => done());
      },
    });
  return {
    stdin,
    resize,
    closed: closed.signal,
    stdout: framed(VirtDest.Stdout),
    stderr: framed(VirtDest.Stderr),
    quit: (exitCode) =>
      new Promise<void>((resolve) => {
        if (socket.destroyed) return resolve();
        socket.write(encodeQuitFrame(exitCode), () => resolve());
      }),
  };
}

/** A resize frame's JSON {Width, Height} (Podman's); anything else is ignored. */
export function parseResize(data: Buffer): { rows: number; cols: number } | undefined {
  try {
    const o = JSON.parse(data.toString('utf8')) as { Width?: unknown; Height?: unknown };
    if (typeof o.Width === 'number' && typeof o.Height === 'number' && o.Width > 0 && o.Height > 0) return { rows: o.Height, cols: o.Width };
  } catch {
    // not JSON
  }
  return undefined;
}
