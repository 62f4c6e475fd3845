/** The uncompressed tar stream of a downloaded layer blob: gzip (zlib), zstd (fzstd) or plain, by magic bytes. */
import fs from 'node:fs';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { zlibModule } from '../util/lazy-builtin.js';
import { Decompress } from 'fzstd';
import { SelkieError } from '../errors.js';
import { detectCompression } from './decompress.js';

/** A streaming zstd decoder (fzstd is pure JavaScript: no native build, no download). */
export class ZstdDecompressStream extends Transform {
  private readonly decoder: Decompress;

  constructor() {
    super();
    this.decoder = new Decompress((chunk) => {
      this.push(Buffer.from(chunk)); // a copy: the decoder may reuse its window
    });
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    try {
      this.decoder.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      cb();
    } catch (e) {
      cb(new SelkieError('invalid', `zstd data is corrupt: ${(e as Error).message}`));
    }
  }

  override _flush(cb: TransformCallback): void {
    try {
      this.decoder.push(new Uint8Array(0), true);
      cb();
    } catch (e) {
      cb(new SelkieError('invalid', `zstd data is corrupt or truncated: ${(e as Error).message}`));
    }
  }
}

function readHead(file: string): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(8);
    const n = fs.readSync(fd, buf, 0, 8, 0);
    return buf.subarray(0, n);
  } finally {
    fs.closeSync(fd);
  }
}

/** Opens `file` (a verified layer blob) as its uncompressed tar stream. Errors of any stage reach the result. */
export function openLayerTar(file: string, what: string): Readable {
  return decompressLayer(readHead(file), fs.createReadStream(file, { highWaterMark: 1 << 20 }), what);
}

/** The uncompressed tar stream of `src`, a layer blob whose first bytes are `head`. Errors of any stage reach the result. */
export function decompressLayer(head: Buffer, src: Readable, what: string): Readable {
  const kind = detectCompression(head);
  let out: Transform;
  switch (kind) {
    case 'none':
      return src;
    case 'gzip':
      out = zlibModule().createGunzip({ chunkSize: 128 << 10 });
      break;
    case 'zstd':
      out = new ZstdDecompressStream();
      break;
    default:
      src.destroy();
      throw new SelkieError('invalid', `${what} is ${kind}-compressed, which Selkie cannot decompress`, { hint: 'layers must be gzip, zstd or uncompressed tar' });
  }
  src.on('error', (e) => out.destroy(e));
  out.on('close', () => src.destroy());
  return src.pipe(out);
}
