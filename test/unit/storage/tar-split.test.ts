/** The tar-split record: what the recorder writes is what the parser reads; corrupt records are refused. */
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { applyLayer } from '../../../src/engine/storage/layer-applier.js';
import { TarSplitRecorder } from '../../../src/engine/storage/tar-split.js';
import { parseTarSplit } from '../../../src/engine/storage/tar-split-reader.js';
import { buildTar, dir, file, symlink } from '../../helpers/layer-tar.js';
import { removeScratch, scratchDir } from '../../helpers/storage-scratch.js';

const scratch = scratchDir('tar-split');
afterAll(() => removeScratch(scratch));

async function record(tarBytes: Buffer, name: string): Promise<ReturnType<typeof parseTarSplit>> {
  const root = path.join(scratch, name);
  fs.mkdirSync(root);
  const rec = new TarSplitRecorder(path.join(scratch, `${name}.gz`));
  const result = await applyLayer(root, Readable.from([tarBytes]), { whiteouts: 'delete' }, rec);
  expect(await rec.finish(result.uncompressedSize)).toBe(true);
  return parseTarSplit(zlib.gunzipSync(fs.readFileSync(path.join(scratch, `${name}.gz`))));
}

describe('tar-split records', () => {
  it('references file contents by path and keeps everything else raw', async () => {
    const t = await buildTar([dir('./'), file('a', 'alpha'), symlink('l', 'a'), dir('d/'), file('d/b', 'bravo!')]);
    const { records, overrides } = await record(t, 'plain');
    expect(records.filter((r) => r.kind === 'file')).toEqual([
      { kind: 'file', rel: 'a', size: 5, index: 0 },
      { kind: 'file', rel: 'd/b', size: 6, index: 1 },
    ]);
    expect(overrides.size).toBe(0);
    const total = records.reduce((n, r) => n + (r.kind === 'raw' ? r.bytes.length : r.size), 0);
    expect(total).toBe(t.length);
  });

  it('keeps the content of a file the same tar replaces later', async () => {
    const t = await buildTar([dir('./'), file('a', 'old'), file('a', 'new content')]);
    const { records, overrides } = await record(t, 'replaced');
    expect(records.filter((r) => r.kind === 'file').map((r) => r.kind === 'file' && r.rel)).toEqual(['a', 'a']);
    expect(overrides.get(0)?.toString()).toBe('old');
  });

  it('refuses a truncated or unknown record', () => {
    expect(() => parseTarSplit(Buffer.from([0x52, 0, 0, 0, 9, 1, 2]))).toThrow(/corrupt/);
    expect(() => parseTarSplit(Buffer.from('Z'))).toThrow(/corrupt/);
  });
});
