/**
 * Downloads a blob into a file, verifying its size and digest. A broken transfer is resumed with a
 * Range request where the registry supports it (otherwise restarted); a mismatch deletes the file.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { SelkieError } from '../errors.js';
import { mismatchError, parseDigest } from './digest.js';
import { TransportError } from './http-transport.js';
import { backoff, type RegistryClient } from './registry-client.js';

export interface BlobTarget {
  repo: string;
  digest: string;
  size: number;
  file: string;
  /** Called with the bytes received so far. */
  onBytes?: (received: number) => void;
}

async function hashFile(file: string, algorithm: string): Promise<{ hash: crypto.Hash; size: number }> {
  const hash = crypto.createHash(algorithm);
  let size = 0;
  for await (const c of fs.createReadStream(file)) {
    hash.update(c as Buffer);
    size += (c as Buffer).length;
  }
  return { hash, size };
}

/**
 * Appends to `file` with synchronous writes: a page-cache write is quicker than handing each network
 * chunk to the thread pool and back (fs.createWriteStream), which a pull would do thousands of times.
 */
function appendingSink(file: string): Writable {
  const fd = fs.openSync(file, 'a');
  let closed = false;
  const close = (): void => {
    if (!closed) fs.closeSync(fd);
    closed = true;
  };
  return new Writable({
    highWaterMark: 1 << 20,
    write(chunk: Buffer, _enc, cb) {
      try {
        for (let off = 0; off < chunk.length; ) off += fs.writeSync(fd, chunk, off, chunk.length - off);
        cb();
      } catch (e) {
        cb(e as Error);
      }
    },
    final(cb) {
      close();
      cb();
    },
    destroy(err, cb) {
      close();
      cb(err);
    },
  });
}

export async function downloadBlob(client: RegistryClient, t: BlobTarget): Promise<void> {
  const { algorithm } = parseDigest(t.digest);
  const what = `blob ${t.digest} of ${t.repo}`;
  let hash = crypto.createHash(algorithm);
  let have = 0;
  fs.writeFileSync(t.file, '');
  for (let attempt = 0; ; attempt++) {
    const { res, resumed } = await client.openBlob(t.repo, t.digest, have, what);
    if (!resumed && have > 0) {
      fs.truncateSync(t.file, 0);
      hash = crypto.createHash(algorithm);
      have = 0;
    }
    let received = have;
    const h = hash;
    const meter = new Transform({
      transform(chunk: Buffer, _e, cb) {
        received += chunk.length;
        if (received > t.size) {
          cb(new SelkieError('registry', `${what}: the registry sent more than the ${t.size} bytes the manifest declares`, { hint: 'nothing was stored' }));
          return;
        }
        h.update(chunk);
        t.onBytes?.(received);
        cb(null, chunk);
      },
    });
    try {
      let sink: Writable;
      try {
        sink = appendingSink(t.file);
      } catch (e) {
        res.body.destroy(); // not left holding the connection
        throw e;
      }
      await pipeline(res.body, meter, sink);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? '';
      const transient =
        (e instanceof TransportError && e.transient) ||
        ['ECONNRESET', 'ERR_STREAM_PREMATURE_CLOSE', 'EPIPE', 'ETIMEDOUT'].includes(code) ||
        (e as Error).message === 'aborted';
      if (!transient || attempt >= client.retryCount) {
        fs.rmSync(t.file, { force: true });
        if (transient) throw new SelkieError('registry', `${what}: transfer from ${client.host} broke off after ${received} of ${t.size} bytes: ${(e as Error).message}`, { hint: 'nothing was stored; try again' });
        throw e;
      }
      client.debug(`${what}: transfer broke off at ${received} bytes (${(e as Error).message}); resuming`);
      await backoff(attempt);
      // The hash may have seen bytes the file never got: start again from what is on disk.
      ({ hash, size: have } = await hashFile(t.file, algorithm));
      continue;
    }
    if (received < t.size) {
      if (attempt < client.retryCount) {
        ({ hash, size: have } = await hashFile(t.file, algorithm));
        await backoff(attempt);
        continue;
      }
      fs.rmSync(t.file, { force: true });
      throw new SelkieError('registry', `${what} is truncated: got ${received} of ${t.size} bytes from ${client.host}`, { hint: 'nothing was stored; try again' });
    }
    const actual = `${algorithm}:${hash.digest('hex')}`;
    if (actual !== t.digest) {
      fs.rmSync(t.file, { force: true });
      throw mismatchError(what, t.digest, actual);
    }
    return;
  }
}
