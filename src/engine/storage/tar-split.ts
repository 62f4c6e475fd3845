/**
 * Tar-split metadata: what it takes to rebuild a layer's original tar byte for byte from the layer
 * on disk (containers/storage keeps the same kind of record). The layer's diffID is the sha256 of
 * the original tar, and an image's config names its layers by diffID, so `save` must reproduce the
 * exact bytes; re-creating a tar from the files would give a new digest and break the image's identity.
 *
 * The recorder sees every byte tar-stream consumes while the layer is applied (a hook on Extract's
 * internal buffer and current entry stream, tar-stream 3.x): bytes that are content of a regular file are recorded as a
 * reference (the file's path in the layer and the byte count); every other byte (headers, PAX and
 * GNU long-name records, padding, the end blocks, content of entries that are not plain files) is
 * recorded as it is. A file that a later entry of the same tar replaces is recorded in full just
 * before it is replaced (by an entry of the same path, or one replacing a parent directory). The record is gzip'ed; typically 1-3% of the layer.
 *
 * Format (after gunzip), a sequence of records:
 *   'R' u32be length, bytes          raw tar bytes
 *   'F' u32be length, path (utf8), u64be size   file content: `size` bytes of the layer's file `path`
 *   'O' u32be index, u32be length, bytes        the content of the index-th 'F' record (0-based), kept
 *                                               because a later entry replaced that file
 */
import fs from 'node:fs';
import path from 'node:path';
import { zlibModule } from '../util/lazy-builtin.js';
import type { Extract } from 'tar-stream';
import { writeFileAtomic } from '../util/atomic-file.js';
import { normalizeEntryPath, parentOf } from './path-guard.js';
import { WHITEOUT_PREFIX } from './whiteout.js';

const RAW_FLUSH = 1 << 20;

interface BufferListInternals {
  shift(size: number): Buffer | null;
  shiftFirst(size: number): Buffer | null;
}
interface ExtractInternals {
  _buffer?: BufferListInternals;
  _stream?: { header?: HeaderLike } | null;
}
interface HeaderLike {
  name: string;
  type: string | null;
}

export class TarSplitRecorder {
  private readonly gzip = zlibModule().createGzip({ level: 6 });
  private readonly out: Buffer[] = [];
  private raw: Buffer[] = [];
  private rawLen = 0;
  private cur: { header: HeaderLike; rel: string; n: number } | null = null;
  private refs = 0;
  /** Regular files referenced so far: path → index of their 'F' record and their entry's header. */
  private readonly fileRefs = new Map<string, Array<{ index: number; header: HeaderLike }>>();
  /** The parent directories of those files. */
  private readonly refDirs = new Set<string>();
  private total = 0;
  private ok = true;

  /** `file`: where finish() writes the record. */
  private elsewhere = false;

  constructor(readonly file: string) {
    this.gzip.on('data', (c: Buffer) => this.out.push(c));
  }

  /** Hooks the extract's byte consumption. Without the hooks (another tar-stream), records nothing. */
  attach(extract: Extract): void {
    const ex = extract as unknown as ExtractInternals;
    const buffer = ex._buffer;
    if (!buffer || typeof buffer.shift !== 'function' || typeof buffer.shiftFirst !== 'function' || !('_stream' in ex)) {
      this.ok = false;
      return;
    }
    // Bytes shifted while an entry's stream is open are that entry's content; all others are raw.
    const shift = buffer.shift.bind(buffer);
    const shiftFirst = buffer.shiftFirst.bind(buffer);
    buffer.shift = (size) => this.seen(shift(size), ex._stream?.header);
    buffer.shiftFirst = (size) => this.seen(shiftFirst(size), ex._stream?.header);
  }

  /**
   * Called with each entry before it is applied to `root`: keeps the content of files of this layer
   * the entry is about to replace (its own path or a parent directory of it).
   */
  beforeEntry(header: HeaderLike, root: string): void {
    if (!this.ok || this.fileRefs.size === 0) return;
    let rel: string;
    try {
      rel = normalizeEntryPath(header.name);
    } catch {
      return;
    }
    for (let p = rel; p !== ''; p = parentOf(p)) {
      const refs = this.fileRefs.get(p);
      if (refs === undefined) continue;
      // tar-stream reads an entry's content before handing the entry over: skip the entry's own record.
      const own = refs.filter((r) => r.header === header);
      if (own.length > 0) this.fileRefs.set(p, own);
      else this.fileRefs.delete(p);
      for (const ref of refs) {
        if (ref.header !== header && !this.keep(ref.index, path.join(root, p))) return;
      }
    }
    if (header.type !== 'directory' && this.refDirs.has(rel)) {
      // A directory replaced by a non-directory: its files go.
      this.refDirs.delete(rel);
      for (const [p, refs] of this.fileRefs) {
        if (!p.startsWith(`${rel}/`)) continue;
        this.fileRefs.delete(p);
        for (const ref of refs) if (!this.keep(ref.index, path.join(root, p))) return;
      }
    }
  }

  /** Records the current content of a file about to be replaced. */
  private keep(index: number, file: string): boolean {
    let content: Buffer;
    try {
      const fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
      try {
        content = fs.readFileSync(fd);
      } finally {
        fs.closeSync(fd);
      }
    } catch {
      this.ok = false; // cannot keep it: this layer will have no record
      return false;
    }
    this.flushCur();
    this.flushRaw();
    const head = Buffer.alloc(9);
    head.write('O', 0, 'latin1');
    head.writeUInt32BE(index, 1);
    head.writeUInt32BE(content.length, 5);
    this.gzip.write(head);
    this.gzip.write(content);
    return true;
  }

  /**
   * Writes the record once the layer is complete; `size` is the byte count of the tar as hashed.
   * Returns false (and writes nothing) when the record does not cover the whole tar.
   */
  async finish(size: number): Promise<boolean> {
    if (this.elsewhere) return true;
    this.flushCur();
    this.flushRaw();
    const ended = new Promise<void>((resolve, reject) => {
      this.gzip.on('end', resolve);
      this.gzip.on('error', reject);
    });
    this.gzip.end();
    await ended;
    if (!this.ok || this.total !== size) return false;
    writeFileAtomic(this.file, Buffer.concat(this.out), 0o600);
    return true;
  }

  /** The layer was applied elsewhere (a worker thread), whose own recorder wrote (or did not write) `file`. */
  recordedElsewhere(): void {
    this.elsewhere = true;
    this.gzip.destroy();
  }

  abort(): void {
    this.gzip.destroy();
  }

  private seen(buf: Buffer | null, header: HeaderLike | null | undefined): Buffer | null {
    if (!buf || buf.length === 0 || !this.ok) return buf;
    this.total += buf.length;
    const rel = header ? this.fileRel(header) : null;
    if (header && rel !== null) {
      if (this.cur?.header !== header) {
        this.flushCur();
        this.flushRaw();
        this.cur = { header, rel, n: 0 };
      }
      this.cur.n += buf.length;
      return buf;
    }
    this.flushCur();
    this.raw.push(Buffer.from(buf));
    this.rawLen += buf.length;
    if (this.rawLen >= RAW_FLUSH) this.flushRaw();
    return buf;
  }

  /** The layer path of a plain file entry whose content can be read back, else null. */
  private fileRel(header: HeaderLike): string | null {
    if (header.type !== 'file' && header.type !== 'contiguous-file') return null;
    try {
      const rel = normalizeEntryPath(header.name);
      const base = rel.slice(rel.lastIndexOf('/') + 1);
      return rel === '' || base.startsWith(WHITEOUT_PREFIX) ? null : rel;
    } catch {
      return null;
    }
  }

  private flushCur(): void {
    const cur = this.cur;
    if (!cur) return;
    this.cur = null;
    const name = Buffer.from(cur.rel, 'utf8');
    const head = Buffer.alloc(5);
    head.write('F', 0, 'latin1');
    head.writeUInt32BE(name.length, 1);
    const size = Buffer.alloc(8);
    size.writeBigUInt64BE(BigInt(cur.n));
    this.gzip.write(Buffer.concat([head, name, size]));
    const ref = { index: this.refs++, header: cur.header };
    const refs = this.fileRefs.get(cur.rel);
    if (refs) refs.push(ref);
    else this.fileRefs.set(cur.rel, [ref]);
    for (let d = parentOf(cur.rel); d !== '' && !this.refDirs.has(d); d = parentOf(d)) this.refDirs.add(d);
  }

  private flushRaw(): void {
    if (this.rawLen === 0) return;
    const head = Buffer.alloc(5);
    head.write('R', 0, 'latin1');
    head.writeUInt32BE(this.rawLen, 1);
    this.gzip.write(Buffer.concat([head, ...this.raw]));
    this.raw = [];
    this.rawLen = 0;
  }
}
