/**
 * The tar streams of `cp`: packPath() makes a tar of one file or directory tree whose entries start
 * with a chosen name (Docker's archive of a path), extractArchive() writes a tar's entries through a
 * caller's path resolver (a container's root, resolving symlinks inside it, or the host) with the
 * owner policy of cp: the archive's owners (-a) or one fixed owner.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import tar from 'tar-stream';
import { conflict, invalid } from '../errors.js';
import { normalizeEntryPath } from '../storage/path-guard.js';
import { runToolOk } from '../storage/host-tools.js';

type EntryHeader = Parameters<ReturnType<typeof tar.pack>['entry']>[0];

/**
 * A tar of `hostPath` (not following it if it is a symlink) with entries named `name`, `name/...`;
 * with `name` '' a directory's content without the directory's own entry.
 */
export function packPath(hostPath: string, name: string, onEnd?: () => Promise<void>, mapOwner?: OwnerMap): Readable {
  const pack = tar.pack();
  const out = new PassThrough();
  pack.pipe(out);
  const seen = new Map<string, string>();
  const add = (header: EntryHeader, body?: Readable): Promise<void> =>
    new Promise((resolve, reject) => {
      const sink = pack.entry(header, (err) => (err ? reject(err) : resolve()));
      if (body) pipeline(body, sink).catch(reject);
    });
  const one = async (full: string, rel: string): Promise<void> => {
    const st = await fsp.lstat(full);
    const [uid, gid] = mapOwner ? mapOwner(st.uid, st.gid) : [st.uid, st.gid];
    const base = { name: rel, mode: st.mode & 0o7777, uid, gid, mtime: st.mtime };
    if (st.isDirectory()) {
      if (rel !== '') await add({ ...base, name: `${rel}/`, type: 'directory' });
      for (const n of (await fsp.readdir(full)).sort()) await one(path.join(full, n), rel === '' ? n : `${rel}/${n}`);
    } else if (st.isSymbolicLink()) {
      await add({ ...base, type: 'symlink', linkname: await fsp.readlink(full) });
    } else if (st.isFile()) {
      const key = `${st.dev}:${st.ino}`;
      const first = st.nlink > 1 ? seen.get(key) : undefined;
      if (first) return add({ ...base, type: 'link', linkname: first });
      if (st.nlink > 1) seen.set(key, rel);
      await add({ ...base, type: 'file', size: st.size }, fs.createReadStream(full));
    } else if (st.isCharacterDevice() || st.isBlockDevice()) {
      const rdev = Number(st.rdev);
      await add({ ...base, type: st.isCharacterDevice() ? 'character-device' : 'block-device', devmajor: (rdev >> 8) & 0xfff, devminor: (rdev & 0xff) | ((rdev >> 12) & 0xfff00) });
    } else if (st.isFIFO()) {
      await add({ ...base, type: 'fifo' });
    }
  };
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    void onEnd?.().catch(() => {});
  };
  // A reader that stops early (destroys the stream) ends the walk too: nothing waits on it then.
  out.on('close', () => {
    pack.destroy();
    end();
  });
  one(hostPath, name)
    .then(() => pack.finalize())
    .catch((e: unknown) => out.destroy(e instanceof Error ? e : new Error(String(e))))
    .finally(end);
  return out;
}

/** Owner IDs from one side of a user namespace to the other (container ↔ host). */
export type OwnerMap = (uid: number, gid: number) => [number, number];

export interface ExtractOptions {
  /** Host path for an entry's (normalized, renamed) relative path; must not follow a last symlink. */
  resolve: (rel: string) => string;
  /** Entry name → the relative path to write, or null to skip the entry. Default: as it is. */
  rename?: (rel: string) => string | null;
  /** Fixed owner for everything written; undefined keeps the archive's owners. */
  owner?: { uid: number; gid: number };
  /** Applied to the owner chosen (a container with a user namespace: its IDs to the host's). */
  mapOwner?: OwnerMap;
}

/** Write the entries of `source` (a tar stream). Directories get their mode and times after their content. */
export async function extractArchive(source: Readable, opts: ExtractOptions): Promise<void> {
  const extract = tar.extract();
  const dirs: { target: string; mode: number; mtime: Date }[] = [];
  extract.on('entry', (header, stream, next) => {
    writeEntry(header, stream as unknown as Readable, opts, dirs).then(
      () => next(),
      (e: unknown) => {
        stream.resume();
        next(e as Error);
      },
    );
  });
  await pipeline(source, extract);
  for (const d of dirs.reverse()) {
    fs.chmodSync(d.target, d.mode);
    fs.utimesSync(d.target, d.mtime, d.mtime);
  }
}

async function writeEntry(header: tar.Header, stream: Readable, opts: ExtractOptions, dirs: { target: string; mode: number; mtime: Date }[]): Promise<void> {
  const normalized = normalizeEntryPath(header.name);
  const rel = opts.rename ? opts.rename(normalized) : normalized;
  if (rel === null) {
    stream.resume();
    return;
  }
  const target = opts.resolve(rel);
  const existing = fs.lstatSync(target, { throwIfNoEntry: false });
  const type = header.type ?? 'file';
  const mode = (header.mode ?? 0o644) & 0o7777;
  const mtime = header.mtime ?? new Date();
  if (type !== 'directory') {
    if (existing?.isDirectory()) throw conflict(`cannot overwrite directory ${rel || '.'} with non-directory`);
    if (existing) fs.unlinkSync(target);
    fs.mkdirSync(path.dirname(target), { recursive: true });
  }
  switch (type) {
    case 'directory':
      if (existing && !existing.isDirectory()) throw conflict(`cannot overwrite non-directory ${rel} with directory`);
      if (!existing) fs.mkdirSync(target, { recursive: true, mode: 0o700 });
      dirs.push({ target, mode, mtime });
      break;
    case 'file':
    case 'contiguous-file':
      await pipeline(stream, fs.createWriteStream(target, { mode: 0o600, flags: 'wx' }));
      break;
    case 'symlink':
      fs.symlinkSync(header.linkname ?? '', target);
      break;
    case 'link': {
      const linked = opts.rename ? opts.rename(normalizeEntryPath(header.linkname ?? '')) : normalizeEntryPath(header.linkname ?? '');
      if (linked === null) throw invalid(`hard link ${rel} points outside the copied files`);
      fs.linkSync(opts.resolve(linked), target);
      break;
    }
    case 'character-device':
    case 'block-device':
      await runToolOk('mknod', ['-m', mode.toString(8), target, type === 'character-device' ? 'c' : 'b', String(header.devmajor ?? 0), String(header.devminor ?? 0)], `creating device ${rel}`);
      break;
    case 'fifo':
      await runToolOk('mkfifo', ['-m', mode.toString(8), target], `creating fifo ${rel}`);
      break;
    default:
      stream.resume();
      return; // pax headers and the like carry no file
  }
  stream.resume();
  const chosen: [number, number] = [opts.owner?.uid ?? header.uid ?? 0, opts.owner?.gid ?? header.gid ?? 0];
  const [uid, gid] = opts.mapOwner ? opts.mapOwner(...chosen) : chosen;
  fs.lchownSync(target, uid, gid);
  if (type === 'symlink') {
    fs.lutimesSync(target, mtime, mtime);
  } else if (type !== 'directory' && type !== 'link') {
    fs.chmodSync(target, mode);
    fs.utimesSync(target, mtime, mtime);
  }
}
