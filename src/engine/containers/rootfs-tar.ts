/**
 * A directory tree as a tar stream (tar-stream pack), for `export`: regular files, directories,
 * symlinks, hard links (the second path of an inode becomes a link to the first), character and block
 * devices and fifos, with numeric ownership, mode and mtime. Sockets are skipped, as tar does.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { PassThrough, type Readable } from 'node:stream';
import tar from 'tar-stream';

type EntryHeader = Parameters<ReturnType<typeof tar.pack>['entry']>[0];

export function packTree(root: string, onEnd?: () => Promise<void>): Readable {
  const pack = tar.pack();
  const out = new PassThrough();
  pack.pipe(out);
  const seen = new Map<string, string>(); // dev:ino → first archive path
  const addEntry = (header: EntryHeader, body?: Readable): Promise<void> =>
    new Promise((resolve, reject) => {
      if (!body) {
        pack.entry(header, (err) => (err ? reject(err) : resolve()));
        return;
      }
      const sink = pack.entry(header, (err) => (err ? reject(err) : resolve()));
      pipeline(body, sink).catch(reject);
    });

  const walk = async (rel: string): Promise<void> => {
    const names = (await fsp.readdir(path.join(root, rel))).sort();
    for (const n of names) {
      const relPath = rel ? `${rel}/${n}` : n;
      const full = path.join(root, relPath);
      const st = await fsp.lstat(full);
      const base = { name: relPath, mode: st.mode & 0o7777, uid: st.uid, gid: st.gid, mtime: st.mtime };
      if (st.isDirectory()) {
        await addEntry({ ...base, name: `${relPath}/`, type: 'directory' });
        await walk(relPath);
      } else if (st.isSymbolicLink()) {
        await addEntry({ ...base, type: 'symlink', linkname: await fsp.readlink(full) });
      } else if (st.isFile()) {
        const key = `${st.dev}:${st.ino}`;
        const first = st.nlink > 1 ? seen.get(key) : undefined;
        if (first) {
          await addEntry({ ...base, type: 'link', linkname: first });
        } else {
          if (st.nlink > 1) seen.set(key, relPath);
          await addEntry({ ...base, type: 'file', size: st.size }, fs.createReadStream(full));
        }
      } else if (st.isCharacterDevice() || st.isBlockDevice()) {
        const rdev = Number(st.rdev);
        const devmajor = (rdev >> 8) & 0xfff;
        const devminor = (rdev & 0xff) | ((rdev >> 12) & 0xfff00);
        await addEntry({ ...base, type: st.isCharacterDevice() ? 'character-device' : 'block-device', devmajor, devminor });
      } else if (st.isFIFO()) {
        await addEntry({ ...base, type: 'fifo' });
      }
    }
  };

  walk('')
    .then(() => pack.finalize())
    .catch((e: unknown) => out.destroy(e instanceof Error ? e : new Error(String(e))))
    .finally(() => void onEnd?.().catch(() => {}));
  return out;
}
