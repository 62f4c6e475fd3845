/** Writing archive entries with tar-stream: small files from memory, layers streamed with their size. */
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import type { Pack } from 'tar-stream';

/** Fixed entry times and owners: the same images saved twice give the same archive. */
const META = { mtime: new Date(0), uid: 0, gid: 0, uname: '', gname: '' };

export function addFile(pack: Pack, name: string, data: Buffer | string): Promise<void> {
  const buf = typeof data === 'string' ? Buffer.from(data) : data;
  return new Promise((resolve, reject) => {
    pack.entry({ name, size: buf.length, mode: 0o644, type: 'file', ...META }, buf, (err) => (err ? reject(err) : resolve()));
  });
}

export function addDir(pack: Pack, name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    pack.entry({ name, type: 'directory', mode: 0o755, ...META }, (err) => (err ? reject(err) : resolve()));
  });
}

export async function addStream(pack: Pack, name: string, size: number, src: Readable): Promise<void> {
  const entry = pack.entry({ name, size, mode: 0o644, type: 'file', ...META });
  await pipeline(src, entry);
}
