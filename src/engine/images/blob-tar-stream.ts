/**
 * The uncompressed tar of a pulled layer blob that may still be downloading (a GrowingFile), read
 * and decompressed synchronously in the calling thread — a pull's worker thread, whose only job this
 * is: one input buffer, reused for every read, and no thread-pool round trip per read or per
 * decompressed chunk (chunk-decoder.ts). The stream ends once the download is complete and fails
 * with the download's error or a decompression error.
 */
import fs from 'node:fs';
import { Readable } from 'node:stream';
import { SelkieError } from '../errors.js';
import { detectCompression } from './decompress.js';
import { plainCopy, syncGunzip, syncZstd, type ChunkDecoder } from './chunk-decoder.js';
import type { GrowingFile } from './growing-file.js';
import { zlibModule } from '../util/lazy-builtin.js';

/** Bytes read at once: few reads per layer, and little memory per worker. */
const READ_BYTES = 256 << 10;
/** Reads between two turns of the event loop. */
const YIELD_EVERY = 4;

/** Opens the layer's tar stream (gzip through node:zlib's stream where syncGunzip is unavailable). */
export async function openBlobTar(feed: GrowingFile, what: string): Promise<Readable> {
  const kind = detectCompression(await feed.head(8));
  let decoder: ChunkDecoder | undefined;
  if (kind === 'gzip') decoder = syncGunzip(what);
  else if (kind === 'zstd') decoder = syncZstd(what);
  else if (kind === 'none') decoder = plainCopy();
  else throw new SelkieError('invalid', `${what} is ${kind}-compressed, which Selkie cannot decompress`, { hint: 'layers must be gzip, zstd or uncompressed tar' });
  return decoder ? blobStream(feed, decoder) : gunzipStream(feed);
}

/** The fallback: the growing blob through node:zlib's gunzip stream. */
function gunzipStream(feed: GrowingFile): Readable {
  const src = feed.stream();
  const out = zlibModule().createGunzip({ chunkSize: 128 << 10 });
  src.on('error', (e) => out.destroy(e));
  out.on('close', () => src.destroy());
  return src.pipe(out);
}

function blobStream(feed: GrowingFile, decoder: ChunkDecoder): Readable {
  const input = Buffer.allocUnsafe(READ_BYTES);
  let fd: number | undefined;
  let pos = 0;
  let pumping = false;
  let reads = 0;
  const stream = new Readable({
    highWaterMark: 1 << 20,
    read() {
      if (!pumping) void pump();
    },
    destroy(err, cb) {
      decoder.close();
      if (fd !== undefined) fs.closeSync(fd);
      fd = undefined;
      cb(err);
    },
  });

  /** Reads and decodes until the stream has enough buffered, the blob ends, or the download must catch up. */
  async function pump(): Promise<void> {
    pumping = true;
    try {
      fd ??= fs.openSync(feed.file, 'r');
      for (;;) {
        if (stream.destroyed) return;
        const r = feed.readSync(fd, input, pos);
        if (r === 'wait') {
          await feed.more(pos);
          continue;
        }
        let wanted = true;
        const out = (chunk: Buffer): void => {
          wanted = stream.push(chunk) && wanted;
        };
        if (r === 'end') {
          decoder.end(out);
          stream.push(null);
          return;
        }
        pos += r;
        decoder.write(input.subarray(0, r), out);
        if (!wanted) return; // read() is called again once the consumer has taken some
        // Everything downstream is synchronous or microtasks: let the event loop turn now and then
        // (timers, such as the worker's collection of dead buffers; messages from the main thread).
        if (++reads % YIELD_EVERY === 0) await new Promise<void>((resolve) => setImmediate(resolve));
      }
    } catch (e) {
      stream.destroy(e instanceof Error ? e : new SelkieError('internal', String(e)));
    } finally {
      pumping = false;
    }
  }
  return stream;
}
