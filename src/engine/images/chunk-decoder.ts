/**
 * Decompression driven synchronously on the calling thread, one input chunk at a time. A pull's
 * worker thread reads its blob and decompresses it in one loop: node:zlib's streams would send every
 * 128 KB of output through the libuv thread pool and back (two thread switches each, thousands per
 * layer), which on a small VM costs as much as the decompression itself.
 *
 * gzip uses node:zlib's own engine through the handle its streams drive (`writeSync`, the call
 * zlib's synchronous functions make); where a Node lacks it, syncGunzip returns undefined and the
 * caller keeps the stream. zstd is fzstd's streaming decoder, synchronous by nature.
 */
import type { Gunzip } from 'node:zlib';
import { Decompress } from 'fzstd';
import { SelkieError } from '../errors.js';
import { zlibModule } from '../util/lazy-builtin.js';

/** Output buffers: zlib fills one at a time; the consumer owns each one it is given. */
const OUT_BYTES = 128 << 10;

export interface ChunkDecoder {
  /** Decompresses `input`, which the caller may overwrite afterwards; output goes to `out` in buffers of its own. */
  write(input: Buffer, out: (chunk: Buffer) => void): void;
  /** The input has ended: passes on what is left and fails if the compressed stream is incomplete. */
  end(out: (chunk: Buffer) => void): void;
  /** Frees the decoder (after end, or when the caller gives up). */
  close(): void;
}

interface ZlibHandle {
  writeSync(flush: number, input: Uint8Array, inOff: number, inLen: number, out: Uint8Array, outOff: number, outLen: number): void;
}
type GunzipInternals = Gunzip & { _handle?: ZlibHandle | null; _writeState?: Uint32Array };

const corrupt = (what: string, e: Error): SelkieError =>
  new SelkieError('invalid', `${what}: gzip data is corrupt or truncated: ${e.message}`, { hint: 'the image or its download is corrupt; pull it again' });

/** A gzip decoder on node:zlib's engine, or undefined when this Node does not expose it. */
export function syncGunzip(what: string): ChunkDecoder | undefined {
  const zlib = zlibModule();
  const stream = zlib.createGunzip() as GunzipInternals;
  const handle = stream._handle;
  const state = stream._writeState;
  if (!handle || typeof handle.writeSync !== 'function' || !(state instanceof Uint32Array)) {
    stream.destroy();
    return undefined;
  }
  stream.on('error', () => {}); // zlib reports errors by destroying the stream: read back from `errored`
  let closed = false;
  // The output buffer is filled across calls, each call's output a view of it; a full one is left
  // to its views and a new one started.
  let buf = Buffer.allocUnsafe(OUT_BYTES);
  let used = 0;
  const run = (flush: number, input: Buffer, out: (chunk: Buffer) => void): void => {
    if (closed) throw new SelkieError('internal', `${what}: the gzip decoder was used after it closed`);
    let offset = 0;
    let left = input.length;
    for (;;) {
      const room = OUT_BYTES - used;
      handle.writeSync(flush, input, offset, left, buf, used, room);
      if (stream.errored) {
        closed = true; // the handle is closed with the stream: it must not be called again
        throw corrupt(what, stream.errored);
      }
      const availOut = state[0]!;
      const availIn = state[1]!;
      offset += left - availIn;
      left = availIn;
      if (availOut < room) out(buf.subarray(used, used + room - availOut));
      used += room - availOut;
      if (used === OUT_BYTES) {
        buf = Buffer.allocUnsafe(OUT_BYTES);
        used = 0;
      }
      // Room left in the output: zlib took all it could (the rest, if any, follows the gzip data).
      if (availOut !== 0) return;
    }
  };
  return {
    write: (input, out) => run(zlib.constants.Z_NO_FLUSH, input, out),
    end: (out) => run(zlib.constants.Z_FINISH, Buffer.alloc(0), out),
    close: () => {
      closed = true;
      stream.destroy();
    },
  };
}

/** A zstd decoder (fzstd). Its input is copied: the decoder may keep a view of unconsumed bytes. */
export function syncZstd(what: string): ChunkDecoder {
  let sink: (chunk: Buffer) => void = () => {};
  const decoder = new Decompress((chunk) => sink(Buffer.from(chunk))); // a copy: the decoder reuses its window
  const push = (input: Uint8Array, final: boolean, out: (chunk: Buffer) => void): void => {
    sink = out;
    try {
      decoder.push(input, final);
    } catch (e) {
      throw new SelkieError('invalid', `${what}: zstd data is corrupt or truncated: ${(e as Error).message}`, { hint: 'the image or its download is corrupt; pull it again' });
    }
  };
  return {
    write: (input, out) => push(Uint8Array.from(input), false, out),
    end: (out) => push(new Uint8Array(0), true, out),
    close: () => {},
  };
}

/** Uncompressed data: passed on as copies (the caller reuses its input buffer). */
export function plainCopy(): ChunkDecoder {
  return {
    write: (input, out) => out(Buffer.from(input)),
    end: () => {},
    close: () => {},
  };
}
