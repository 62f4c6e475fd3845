/**
 * Shifting a tree's ownership into a user namespace's host range: every file owned by container
 * UID u becomes owned by the host UID the mapping gives u (IDs the mapping leaves out become the
 * overflow ID 65534, as the kernel shows them). chown clears setuid/setgid bits, so modes are put
 * back afterwards. Used on copies only — never on a shared layer.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { toHost, type IdMappings } from '../containers/id-mappings.js';

const OVERFLOW_ID = 65534;

export function shiftTree(root: string, maps: IdMappings): void {
  const shiftOne = (p: string, st: fs.Stats) => {
    const uid = toHost(maps.uidMap, st.uid) ?? OVERFLOW_ID;
    const gid = toHost(maps.gidMap, st.gid) ?? OVERFLOW_ID;
    if (uid === st.uid && gid === st.gid) return;
    fs.lchownSync(p, uid, gid);
    if (!st.isSymbolicLink() && st.mode & 0o6000) fs.chmodSync(p, st.mode & 0o7777);
  };
  const walk = (dir: string) => {
    for (const ent of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, ent.name);
      shiftOne(p, fs.lstatSync(p));
      if (ent.isDirectory()) walk(p);
    }
  };
  shiftOne(root, fs.lstatSync(root));
  walk(root);
}

/** The host owner of the container's root user (for directories the container must own). */
export function hostRoot(maps: IdMappings): { uid: number; gid: number } {
  return { uid: toHost(maps.uidMap, 0) ?? OVERFLOW_ID, gid: toHost(maps.gidMap, 0) ?? OVERFLOW_ID };
}

/**
 * Lets a mapped root walk down to a container's root filesystem: the graph root, the driver's home
 * and the directories below it that lead to the container get search permission for others (0711:
 * no listing, no reading).
 */
export async function allowTraversal(home: string, ...below: string[]): Promise<void> {
  for (const dir of [path.dirname(home), home, ...below]) {
    const st = await fsp.stat(dir);
    if ((st.mode & 0o011) !== 0o011) await fsp.chmod(dir, (st.mode & 0o7777) | 0o011);
  }
}
