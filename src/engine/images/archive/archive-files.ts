/**
 * The files of an image archive being loaded, spooled to a private temp directory: archives put
 * their index (manifest.json, index.json) anywhere, often last, so the whole archive is read
 * once, then its files are opened by name. Only regular files are kept (each under a numbered name,
 * never at a path the archive chooses); symlinks and hard links (legacy layer dirs link
 * `<id>/layer.tar` to `../<hex>.tar`) are resolved inside the archive's own name space.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import tar from 'tar-stream';
import { invalid, isSelkieError } from '../../errors.js';
import { decompressed } from '../decompress.js';

export class ArchiveFiles {
  private readonly files = new Map<string, { file: string; size: number }>();
  private readonly links = new Map<string, string>();

  private constructor(readonly dir: string) {}

  /** Reads the (maybe gzip-compressed) archive into `dir` (created; the caller removes it). */
  static async read(source: Readable, dir: string): Promise<ArchiveFiles> {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const out = new ArchiveFiles(dir);
    const extract = tar.extract();
    const input = await decompressed(source, 'the archive');
    const feeding = pipeline(input, extract);
    feeding.catch(() => {});
    let n = 0;
    try {
      for await (const entry of extract) {
        const h = entry.header;
        const name = normalize(h.name);
        if ((h.type === 'file' || h.type === 'contiguous-file') && name !== '') {
          const file = path.join(dir, String(n++));
          await pipeline(entry, fs.createWriteStream(file, { mode: 0o600 }));
          out.files.set(name, { file, size: h.size ?? 0 });
          out.links.delete(name);
          continue;
        }
        if ((h.type === 'symlink' || h.type === 'link') && h.linkname) {
          const target = h.type === 'symlink' ? path.posix.join(path.posix.dirname(name), h.linkname) : h.linkname;
          out.links.set(name, normalize(target));
        }
        entry.resume();
      }
      await feeding;
    } catch (e) {
      extract.destroy();
      input.destroy();
      const code = (e as NodeJS.ErrnoException).code;
      if (isSelkieError(e) || (typeof code === 'string' && !code.startsWith('ERR_'))) throw e; // ENOSPC and the like are not the archive's fault
      throw invalid(`the archive is not a readable tar: ${(e as Error).message}`);
    }
    return out;
  }

  has(name: string): boolean {
    return this.resolve(name) !== undefined;
  }

  /** The temp file holding archive member `name` (following the archive's links). */
  path(name: string): string {
    const hit = this.resolve(name);
    if (!hit) throw invalid(`the archive has no file ${JSON.stringify(name)}`, 'the archive is incomplete or not an image archive');
    return hit.file;
  }

  read(name: string): Buffer {
    return fs.readFileSync(this.path(name));
  }

  json<T>(name: string): T {
    try {
      return JSON.parse(this.read(name).toString('utf8')) as T;
    } catch (e) {
      throw invalid(`${name} in the archive is not valid JSON: ${(e as Error).message}`);
    }
  }

  open(name: string): Readable {
    return fs.createReadStream(this.path(name));
  }

  private resolve(name: string): { file: string; size: number } | undefined {
    let n = normalize(name);
    for (let hops = 0; hops < 16; hops++) {
      const f = this.files.get(n);
      if (f) return f;
      const next = this.links.get(n);
      if (next === undefined) return undefined;
      n = next;
    }
    return undefined;
  }
}

/** An archive member name as a clean relative path ('' for the root or anything escaping it). */
function normalize(name: string): string {
  const p = path.posix.normalize(`/${name}`).slice(1).replace(/\/+$/, '');
  return p.startsWith('..') ? '' : p;
}
