import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { openBlobTar } from '../../../src/engine/images/blob-tar-stream.js';
import { syncGunzip } from '../../../src/engine/images/chunk-decoder.js';
import { GrowingFile } from '../../../src/engine/images/growing-file.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function tmpFile(content: Buffer = Buffer.alloc(0)): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'selkie-blob-tar-'));
  dirs.push(d);
  const f = path.join(d, 'blob');
  fs.writeFileSync(f, content);
  return f;
}

async function collect(s: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of s) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** A blob already complete on disk. */
function complete(content: Buffer): GrowingFile {
  const g = new GrowingFile(tmpFile(content));
  g.grew(content.length);
  g.complete();
  return g;
}

/** ~3 MB that compresses unevenly: text runs and random runs, so output sizes vary per read. */
function sample(): Buffer {
  const parts: Buffer[] = [];
  for (let i = 0; i < 24; i++) {
    parts.push(i % 3 === 0 ? crypto.randomBytes(70_000) : Buffer.from(`line ${i} of some text that repeats\n`.repeat(3000)));
  }
  return Buffer.concat(parts);
}

describe('openBlobTar', () => {
  it('decompresses gzip read in pieces while the blob grows, ending only when the download completes', async () => {
    const data = sample();
    const gz = zlib.gzipSync(data);
    const f = tmpFile();
    const g = new GrowingFile(f);
    const head = gz.subarray(0, 100);
    fs.appendFileSync(f, head);
    g.grew(head.length);
    const out = collect(await openBlobTar(g, 'layer x'));
    for (let off = head.length; off < gz.length; off += 300_000) {
      const piece = gz.subarray(off, off + 300_000);
      fs.appendFileSync(f, piece);
      g.grew(off + piece.length);
      await new Promise((r) => setTimeout(r, 5));
    }
    g.complete();
    expect((await out).equals(data)).toBe(true);
  });

  it('reads concatenated gzip members as one stream, as gunzip does', async () => {
    const a = sample();
    const b = Buffer.from('second member\n'.repeat(1000));
    const blob = Buffer.concat([zlib.gzipSync(a), zlib.gzipSync(b)]);
    const out = await collect(await openBlobTar(complete(blob), 'layer x'));
    expect(out.equals(zlib.gunzipSync(blob))).toBe(true);
    expect(out.length).toBe(a.length + b.length);
  });

  it('ignores zero padding after the gzip data, and fails on other trailing bytes, as node:zlib\'s gunzip does', async () => {
    const data = sample();
    const padded = Buffer.concat([zlib.gzipSync(data), Buffer.alloc(512)]);
    expect((await collect(await openBlobTar(complete(padded), 'layer x'))).equals(data)).toBe(true);
    const junk = Buffer.concat([zlib.gzipSync(data), Buffer.from('trailing junk')]);
    await expect(collect(await openBlobTar(complete(junk), 'layer x'))).rejects.toThrow(/layer x: gzip data is corrupt or truncated: incorrect header check/);
  });

  it('fails on truncated gzip data', async () => {
    const gz = zlib.gzipSync(sample());
    const cut = gz.subarray(0, gz.length - 5000);
    await expect(collect(await openBlobTar(complete(cut), 'layer x'))).rejects.toThrow(/layer x: gzip data is corrupt or truncated/);
  });

  it('fails on corrupt gzip data', async () => {
    const gz = Buffer.from(zlib.gzipSync(sample()));
    for (let i = 5000; i < 5100; i++) gz[i] = gz[i]! ^ 0x5a;
    await expect(collect(await openBlobTar(complete(gz), 'layer x'))).rejects.toThrow(/layer x: gzip data is corrupt or truncated/);
  });

  it('decompresses zstd', async () => {
    const data = sample();
    const raw = tmpFile(data);
    execFileSync('zstd', ['-q', '-3', raw, '-o', `${raw}.zst`]);
    const out = await collect(await openBlobTar(complete(fs.readFileSync(`${raw}.zst`)), 'layer z'));
    expect(out.equals(data)).toBe(true);
  });

  it('fails on truncated zstd data', async () => {
    const raw = tmpFile(sample());
    execFileSync('zstd', ['-q', raw, '-o', `${raw}.zst`]);
    const zst = fs.readFileSync(`${raw}.zst`);
    await expect(collect(await openBlobTar(complete(zst.subarray(0, zst.length - 1000)), 'layer z'))).rejects.toThrow(/layer z: zstd data is corrupt or truncated/);
  });

  it('refuses a compression it cannot decompress, naming it', async () => {
    const xz = Buffer.concat([Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]), Buffer.alloc(100)]);
    await expect(openBlobTar(complete(xz), 'layer q')).rejects.toThrow('layer q is xz-compressed, which Selkie cannot decompress');
  });

  it('passes an uncompressed tar through unchanged although its read buffer is reused', async () => {
    const data = sample();
    const out = await collect(await openBlobTar(complete(data), 'layer p'));
    expect(out.equals(data)).toBe(true);
  });

  it('fails with the download error', async () => {
    const gz = zlib.gzipSync(sample());
    const f = tmpFile(gz.subarray(0, 200_000));
    const g = new GrowingFile(f);
    g.grew(200_000);
    const out = collect(await openBlobTar(g, 'layer x'));
    await new Promise((r) => setTimeout(r, 20));
    g.fail(new Error('digest mismatch'));
    await expect(out).rejects.toThrow('digest mismatch');
  });

  it('can be destroyed part-way (the reader stops and closes the blob)', async () => {
    const gz = zlib.gzipSync(sample());
    const g = complete(gz);
    const target = (fd: string): string | undefined => {
      try {
        return fs.readlinkSync(`/proc/self/fd/${fd}`);
      } catch {
        return undefined; // the directory listing's own fd, closed since
      }
    };
    const openOnBlob = (): number => fs.readdirSync('/proc/self/fd').filter((fd) => target(fd) === g.file).length;
    const s = await openBlobTar(g, 'layer x');
    await new Promise((r) => s.once('readable', r));
    expect((s.read() as Buffer).length).toBeGreaterThan(0);
    expect(openOnBlob()).toBe(1);
    s.destroy();
    await new Promise((r) => s.once('close', r));
    expect(openOnBlob()).toBe(0);
  });
});

describe('syncGunzip', () => {
  it('refuses to be used after an error (its zlib handle is closed)', () => {
    const d = syncGunzip('layer y')!;
    expect(d).toBeDefined();
    expect(() => d.write(Buffer.from('\x1f\x8b\x08\x00not gzip at all, really not'), () => {})).toThrow(/gzip data is corrupt/);
    expect(() => d.write(Buffer.from('more'), () => {})).toThrow(/used after it closed/);
  });
});
