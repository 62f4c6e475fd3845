/** Layer tars for storage tests, built in memory with tar-stream. */
import { Readable } from 'node:stream';
import tar from 'tar-stream';

export interface TarEntry {
  name: string;
  type?: 'file' | 'directory' | 'symlink' | 'link' | 'character-device' | 'block-device' | 'fifo';
  content?: string | Buffer;
  mode?: number;
  uid?: number;
  gid?: number;
  /** Seconds since the epoch (default T0). */
  mtime?: number;
  linkname?: string;
  devmajor?: number;
  devminor?: number;
  /** Text xattr values, as PAX SCHILY.xattr records. */
  xattrs?: Record<string, string>;
}

export const T0 = 1_600_000_000;

export const dir = (name: string, more: Partial<TarEntry> = {}): TarEntry => ({ name, type: 'directory', mode: 0o755, ...more });
export const file = (name: string, content: string, more: Partial<TarEntry> = {}): TarEntry => ({ name, type: 'file', content, mode: 0o644, ...more });
export const symlink = (name: string, linkname: string, more: Partial<TarEntry> = {}): TarEntry => ({ name, type: 'symlink', linkname, mode: 0o777, ...more });
export const hardlink = (name: string, linkname: string): TarEntry => ({ name, type: 'link', linkname });
export const whiteout = (name: string): TarEntry => ({ name, type: 'file', content: '', mode: 0o600 });

export async function buildTar(entries: readonly TarEntry[]): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    pack.on('data', (b: unknown) => {
      chunks.push(b as Buffer);
    });
    pack.on('end', () => resolve(Buffer.concat(chunks)));
    pack.on('error', reject);
  });
  for (const e of entries) {
    const content = typeof e.content === 'string' ? Buffer.from(e.content) : e.content;
    const pax = e.xattrs ? Object.fromEntries(Object.entries(e.xattrs).map(([k, v]) => [`SCHILY.xattr.${k}`, v])) : undefined;
    const header = {
      name: e.name,
      type: e.type ?? 'file',
      mode: e.mode ?? 0o644,
      uid: e.uid ?? 0,
      gid: e.gid ?? 0,
      mtime: new Date((e.mtime ?? T0) * 1000),
      linkname: e.linkname,
      devmajor: e.devmajor ?? 0,
      devminor: e.devminor ?? 0,
      size: content?.length ?? 0,
      ...(pax ? { pax } : {}),
    };
    await new Promise<void>((resolve, reject) => {
      pack.entry(header, content ?? Buffer.alloc(0), (err) => (err ? reject(err) : resolve()));
    });
  }
  pack.finalize();
  return done;
}

/** The tar as a stream delivered in small chunks, as a download or file would deliver it. */
export function tarStream(buf: Buffer, chunk = 7_000): Readable {
  const parts: Buffer[] = [];
  for (let i = 0; i < buf.length; i += chunk) parts.push(buf.subarray(i, i + chunk));
  return Readable.from(parts, { objectMode: false });
}

/** A stream that delivers `buf` then fails with `error`. */
export function failingStream(buf: Buffer, error: Error): Readable {
  let sent = false;
  return new Readable({
    read() {
      if (!sent) {
        sent = true;
        this.push(buf);
      } else this.destroy(error);
    },
  });
}
