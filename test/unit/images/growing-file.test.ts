import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GrowingFile } from '../../../src/engine/images/growing-file.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
function tmpFile(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'selkie-growing-'));
  dirs.push(d);
  const f = path.join(d, 'blob');
  fs.writeFileSync(f, '');
  return f;
}
async function collect(s: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of s) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}
const tick = () => new Promise((r) => setTimeout(r, 15));

describe('GrowingFile', () => {
  it('streams what is written while it grows and ends only when complete', async () => {
    const f = tmpFile();
    const g = new GrowingFile(f);
    const all = collect(g.stream());
    let ended = false;
    void all.then(() => (ended = true));
    for (const part of ['abc', 'defg', 'h']) {
      fs.appendFileSync(f, part);
      g.grew(fs.statSync(f).size);
      await tick();
    }
    expect(ended).toBe(false);
    expect((await g.head(4)).toString()).toBe('abcd');
    g.complete();
    expect((await all).toString()).toBe('abcdefgh');
  });

  it('a download that restarts from zero rewrites the same bytes: the reader is not disturbed', async () => {
    const f = tmpFile();
    const g = new GrowingFile(f);
    const all = collect(g.stream());
    fs.appendFileSync(f, 'hello ');
    g.grew(6);
    await tick();
    fs.truncateSync(f, 0);
    fs.appendFileSync(f, 'hel');
    g.grew(3);
    await tick();
    fs.appendFileSync(f, 'lo world');
    g.grew(11);
    g.complete();
    expect((await all).toString()).toBe('hello world');
  });

  it('fails with the download error', async () => {
    const f = tmpFile();
    const g = new GrowingFile(f);
    const all = collect(g.stream());
    fs.appendFileSync(f, 'partial');
    g.grew(7);
    await tick();
    g.fail(new Error('digest mismatch'));
    await expect(all).rejects.toThrow('digest mismatch');
    await expect(g.head(2)).rejects.toThrow('digest mismatch');
  });
});
