/**
 * Rebuilds a layer's original tar from its tar-split record (tar-split.ts) and the layer's files.
 * File paths come from the record and are opened only through real directories of the layer (never
 * through a symlink), so a crafted layer cannot make the rebuilt tar read files outside it.
 * The caller checks the result against the layer's diffID.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { zlibModule } from '../util/lazy-builtin.js';
import { SelkieError } from '../errors.js';

const CHUNK = 1 << 20;

export type TarSplitRecord = { kind: 'raw'; bytes: Buffer } | { kind: 'file'; rel: string; size: number; index: number };

/** Parses a (gunzipped) record; `overrides` receives the kept contents by file index. */
export function parseTarSplit(data: Buffer): { records: TarSplitRecord[]; overrides: Map<number, Buffer> } {
  const records: TarSplitRecord[] = [];
  const overrides = new Map<number, Buffer>();
  let pos = 0;
  let files = 0;
  const bad = (): SelkieError => new SelkieError('state', 'the tar-split record of a layer is corrupt');
  while (pos < data.length) {
    const kind = String.fromCharCode(data[pos]!);
    if (pos + 5 > data.length) throw bad();
    const len = data.readUInt32BE(pos + 1);
    if (kind === 'R') {
      if (pos + 5 + len > data.length) throw bad();
      records.push({ kind: 'raw', bytes: data.subarray(pos + 5, pos + 5 + len) });
      pos += 5 + len;
    } else if (kind === 'F') {
      if (pos + 13 + len > data.length) throw bad();
      const rel = data.toString('utf8', pos + 5, pos + 5 + len);
      const size = Number(data.readBigUInt64BE(pos + 5 + len));
      records.push({ kind: 'file', rel, size, index: files++ });
      pos += 13 + len;
    } else if (kind === 'O') {
      if (pos + 9 > data.length) throw bad();
      const n = data.readUInt32BE(pos + 5);
      if (pos + 9 + n > data.length) throw bad();
      overrides.set(len, data.subarray(pos + 9, pos + 9 + n));
      pos += 9 + n;
    } else throw bad();
  }
  return { records, overrides };
}

/** The layer's original tar, rebuilt from `recordFile` and the layer directory `root`. */
export function rebuildLayerTar(recordFile: string, root: string, layerId: string): Readable {
  return Readable.from(generate(recordFile, root, layerId), { objectMode: false });
}

async function* generate(recordFile: string, root: string, layerId: string): AsyncGenerator<Buffer> {
  let data: Buffer;
  try {
    data = zlibModule().gunzipSync(await fsp.readFile(recordFile));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new SelkieError('state', `layer ${layerId.slice(0, 12)} was stored without the record needed to export it`, {
        hint: 'remove the image and pull or import it again',
      });
    }
    throw new SelkieError('state', `reading the tar-split record of layer ${layerId.slice(0, 12)}: ${(e as Error).message}`, { cause: e });
  }
  const { records, overrides } = parseTarSplit(data);
  const realRoot = fs.realpathSync(root);
  for (const r of records) {
    if (r.kind === 'raw') {
      yield r.bytes;
      continue;
    }
    const kept = overrides.get(r.index);
    if (kept) {
      if (kept.length !== r.size) throw changed(layerId, r.rel);
      yield kept;
      continue;
    }
    yield* readLayerFile(realRoot, r.rel, r.size, layerId);
  }
}

async function* readLayerFile(realRoot: string, rel: string, size: number, layerId: string): AsyncGenerator<Buffer> {
  const parent = path.posix.dirname(rel);
  const abs = path.join(realRoot, rel);
  let real: string;
  try {
    real = fs.realpathSync(path.dirname(abs));
  } catch {
    throw changed(layerId, rel);
  }
  if (real !== (parent === '.' ? realRoot : path.join(realRoot, parent))) throw changed(layerId, rel);
  let fh: fsp.FileHandle;
  try {
    fh = await fsp.open(abs, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
  } catch {
    throw changed(layerId, rel);
  }
  try {
    const st = await fh.stat();
    if (!st.isFile() || st.size !== size) throw changed(layerId, rel);
    let left = size;
    while (left > 0) {
      const buf = Buffer.allocUnsafe(Math.min(CHUNK, left));
      const { bytesRead } = await fh.read(buf, 0, buf.length, size - left);
      if (bytesRead === 0) throw changed(layerId, rel);
      left -= bytesRead;
      yield bytesRead === buf.length ? buf : buf.subarray(0, bytesRead);
    }
  } finally {
    await fh.close();
  }
}

function changed(layerId: string, rel: string): SelkieError {
  return new SelkieError('state', `layer ${layerId.slice(0, 12)} cannot be exported: its file ${JSON.stringify(rel)} changed since it was stored`, {
    hint: 'remove the image and pull or import it again',
  });
}
