/** Detects a stream's compression from its magic bytes and returns the decompressed stream. */
import { PassThrough, type Readable } from 'node:stream';
import { zlibModule } from '../util/lazy-builtin.js';
import { SelkieError } from '../errors.js';

export type Compression = 'gzip' | 'zstd' | 'bzip2' | 'xz' | 'none';

export function detectCompression(head: Buffer): Compression {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 4 && head.readUInt32LE(0) === 0xfd2fb528) return 'zstd';
  if (head.length >= 3 && head.toString('latin1', 0, 3) === 'BZh') return 'bzip2';
  if (head.length >= 6 && head.subarray(0, 6).equals(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]))) return 'xz';
  return 'none';
}

/** Read the first bytes of `input`, then return a stream of the whole input decompressed. */
export async function decompressed(input: Readable, what: string): Promise<Readable> {
  const head = await peek(input, 6);
  const rest = new PassThrough();
  rest.write(head.buf);
  if (!head.ended) input.pipe(rest);
  else rest.end();
  input.on('error', (e) => rest.destroy(e));
  const kind = detectCompression(head.buf);
  switch (kind) {
    case 'none':
      return rest;
    case 'gzip': {
      const gunzip = zlibModule().createGunzip();
      rest.on('error', (e) => gunzip.destroy(e));
      return rest.pipe(gunzip);
    }
    default:
      throw new SelkieError('invalid', `${what} is ${kind}-compressed, which this command does not read yet`, {
        hint: 'decompress it first (e.g. with zstd -d / xz -d) and pass the plain tar',
      });
  }
}

function peek(input: Readable, n: number): Promise<{ buf: Buffer; ended: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let len = 0;
    const onData = (c: Buffer) => {
      chunks.push(c);
      len += c.length;
      if (len >= n) finish(false);
    };
    const onEnd = () => finish(true);
    const onError = (e: Error) => {
      cleanup();
      reject(e);
    };
    const cleanup = () => {
      input.off('data', onData);
      input.off('end', onEnd);
      input.off('error', onError);
    };
    const finish = (ended: boolean) => {
      cleanup();
      input.pause();
      resolve({ buf: Buffer.concat(chunks), ended });
    };
    input.on('data', onData);
    input.on('end', onEnd);
    input.on('error', onError);
  });
}
