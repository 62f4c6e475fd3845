/**
 * A blob file that a download is still writing, read as a stream while it grows: a pull applies a
 * layer while its blob arrives instead of after. The reader sees only bytes on disk, waits for more
 * until the download is complete (verified), and fails with the download's error. A download that
 * restarts from byte 0 rewrites the same bytes (the same blob), so what was read stays valid.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import { Readable } from 'node:stream';

/** Read size: big enough for few reads, small enough that the buffers in flight (two threads) stay few MB. */
const CHUNK = 256 << 10;

export type GrowingFileChange = { received: number } | { done: true } | { error: Error };

export class GrowingFile {
  private received = 0;
  private done = false;
  private error?: Error;
  private waiters: (() => void)[] = [];
  private observers: ((change: GrowingFileChange) => void)[] = [];

  constructor(readonly file: string) {}

  /** The download has received `bytes` (they may not all be on disk yet). */
  grew(bytes: number): void {
    this.received = bytes;
    this.wakeAll();
    for (const o of this.observers) o({ received: bytes });
  }

  /** The download finished and its digest is verified: the file is whole. */
  complete(): void {
    this.done = true;
    this.wakeAll();
    for (const o of this.observers) o({ done: true });
  }

  fail(e: unknown): void {
    this.error = e instanceof Error ? e : new Error(String(e));
    this.wakeAll();
    for (const o of this.observers) o({ error: this.error });
  }

  /**
   * Calls `fn` with the state so far and then with every change (so another thread can mirror this
   * file with a GrowingFile of its own). Returns the function that stops it.
   */
  observe(fn: (change: GrowingFileChange) => void): () => void {
    if (this.received > 0) fn({ received: this.received });
    if (this.error) fn({ error: this.error });
    else if (this.done) fn({ done: true });
    this.observers.push(fn);
    return () => {
      this.observers = this.observers.filter((o) => o !== fn);
    };
  }

  /** Applies a change seen by observe() on another GrowingFile of the same file. */
  mirror(change: GrowingFileChange): void {
    if ('received' in change) this.grew(change.received);
    else if ('done' in change) this.complete();
    else this.fail(change.error);
  }

  /** The first `n` bytes (fewer only for a smaller blob), once they are on disk. */
  async head(n: number): Promise<Buffer> {
    for (;;) {
      this.check();
      if (this.received > 0 || this.done) {
        const fh = await fsp.open(this.file, 'r');
        try {
          const buf = Buffer.alloc(n);
          const { bytesRead } = await fh.read(buf, 0, n, 0);
          if (bytesRead === n || this.done) return buf.subarray(0, bytesRead);
        } finally {
          await fh.close();
        }
      }
      await this.wait(20);
    }
  }

  /**
   * Reads the blob at `pos` into `buf` without waiting (fd: the blob opened for reading): the
   * number of bytes read, 'end' past the end of the complete blob, or 'wait' when everything on
   * disk is read (then await more()). Throws the download's error.
   */
  readSync(fd: number, buf: Buffer, pos: number): number | 'end' | 'wait' {
    this.check();
    const done = this.done; // this thread's view cannot change during the read
    const n = fs.readSync(fd, buf, 0, buf.length, pos);
    if (n > 0) return n;
    return done ? 'end' : 'wait';
  }

  /** Waits until the download has written more than `pos` bytes, completed or failed (or a short pause). */
  more(pos: number): Promise<void> {
    if (this.done || this.error) return Promise.resolve();
    return this.wait(pos < this.received ? 10 : undefined);
  }

  /** The whole blob as a stream that ends once the download is complete. */
  stream(): Readable {
    return Readable.from(this.chunks(), { objectMode: false, highWaterMark: CHUNK });
  }

  private async *chunks(): AsyncGenerator<Buffer> {
    await this.head(1);
    const fh = await fsp.open(this.file, 'r');
    try {
      let pos = 0;
      for (;;) {
        this.check();
        const done = this.done;
        const { bytesRead, buffer } = await fh.read(Buffer.allocUnsafe(CHUNK), 0, CHUNK, pos);
        if (bytesRead > 0) {
          pos += bytesRead;
          yield buffer.subarray(0, bytesRead);
        } else if (done) {
          return;
        } else if (this.done || this.error) {
          continue; // it completed (or failed) while we read: look again
        } else {
          // Everything on disk is read: wait for the download to write more (or a short pause, as
          // received bytes may still be on their way to the file).
          await this.wait(pos < this.received ? 10 : undefined);
        }
      }
    } finally {
      await fh.close();
    }
  }

  private check(): void {
    if (this.error) throw this.error;
  }

  private wait(ms?: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = ms === undefined ? undefined : setTimeout(wake, ms);
      function wake() {
        clearTimeout(timer);
        resolve();
      }
      this.waiters.push(wake);
    });
  }

  private wakeAll(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
}
