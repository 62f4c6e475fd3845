/** Reads a (small) tar archive into memory: member name → content, links as their targets. */
import fs from 'node:fs';
import { Readable } from 'node:stream';
import tar from 'tar-stream';

export interface TarMember {
  type: string;
  data: Buffer;
  linkname?: string;
}

export async function readTar(file: string | Buffer): Promise<Map<string, TarMember>> {
  const out = new Map<string, TarMember>();
  const extract = tar.extract();
  Readable.from([Buffer.isBuffer(file) ? file : fs.readFileSync(file)]).pipe(extract);
  for await (const entry of extract) {
    const chunks: Buffer[] = [];
    for await (const c of entry) chunks.push(c as Buffer);
    out.set(entry.header.name, { type: entry.header.type ?? 'file', data: Buffer.concat(chunks), ...(entry.header.linkname ? { linkname: entry.header.linkname } : {}) });
  }
  return out;
}

/** Writes members back as a tar (for tampering with archives in tests). */
export async function writeTar(members: Map<string, TarMember>): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  pack.on('data', (c: unknown) => chunks.push(c as Buffer));
  const done = new Promise<void>((resolve) => pack.on('end', () => resolve()));
  for (const [name, m] of members) {
    if (m.type === 'symlink') pack.entry({ name, type: 'symlink', linkname: m.linkname });
    else if (m.type === 'directory') pack.entry({ name, type: 'directory' });
    else pack.entry({ name }, m.data);
  }
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}
