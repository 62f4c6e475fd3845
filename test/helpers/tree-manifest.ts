/**
 * A directory tree as comparable lines, one per path, sorted:
 *   "<path> <type> <mode> <uid>:<gid> [size=N sha=HEX] [-> target] [dev=MAJ:MIN] [mtime=S] [xattr:name=HEX] [link=FIRST]"
 * type is d, f, l, c, b, p; mode is octal with setuid/setgid/sticky; mtime in whole seconds (the
 * root's is left out: a container's root differs by driver); link= names the first path (in sort
 * order) that is the same inode, for hard links. xattrs come from one getfattr run (if installed).
 */
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export interface ManifestOptions {
  /** Leave xattrs out (default: include them when getfattr exists). */
  xattrs?: boolean;
}

export function treeManifest(root: string, opts: ManifestOptions = {}): string[] {
  const paths: string[] = [];
  const walk = (rel: string): void => {
    paths.push(rel);
    const st = fs.lstatSync(path.join(root, rel));
    if (st.isDirectory()) for (const name of fs.readdirSync(path.join(root, rel)).sort()) walk(rel === '' ? name : `${rel}/${name}`);
  };
  walk('');
  paths.sort();
  const xattrs = opts.xattrs === false ? new Map<string, string[]>() : readXattrs(root);
  const firstOfInode = new Map<string, string>();
  return paths.map((rel) => {
    const st = fs.lstatSync(path.join(root, rel));
    const parts = [rel === '' ? '.' : rel, typeOf(st), (st.mode & 0o7777).toString(8).padStart(4, '0'), `${st.uid}:${st.gid}`];
    if (st.isFile()) {
      const sha = crypto.createHash('sha256').update(fs.readFileSync(path.join(root, rel))).digest('hex').slice(0, 16);
      parts.push(`size=${st.size}`, `sha=${sha}`);
    }
    if (st.isSymbolicLink()) parts.push(`-> ${fs.readlinkSync(path.join(root, rel))}`);
    if (st.isCharacterDevice() || st.isBlockDevice()) parts.push(`dev=${major(st.rdev)}:${minor(st.rdev)}`);
    if (rel !== '') parts.push(`mtime=${Math.floor(st.mtimeMs / 1000)}`);
    for (const x of xattrs.get(rel) ?? []) parts.push(`xattr:${x}`);
    if (!st.isDirectory() && st.nlink > 1) {
      const key = `${st.dev}:${st.ino}`;
      const first = firstOfInode.get(key);
      if (first === undefined) firstOfInode.set(key, rel);
      else parts.push(`link=${first}`);
    }
    return parts.join(' ');
  });
}

const major = (rdev: number): number => ((rdev >> 8) & 0xfff) | (Math.floor(rdev / 2 ** 32) & ~0xfff);
const minor = (rdev: number): number => (rdev & 0xff) | ((rdev >> 12) & ~0xff);

function typeOf(st: fs.Stats): string {
  if (st.isDirectory()) return 'd';
  if (st.isFile()) return 'f';
  if (st.isSymbolicLink()) return 'l';
  if (st.isCharacterDevice()) return 'c';
  if (st.isBlockDevice()) return 'b';
  if (st.isFIFO()) return 'p';
  return '?';
}

/** path → ["name=HEX", ...] for every path under root with xattrs (symlinks not followed). */
export function readXattrs(root: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const r = spawnSync('getfattr', ['-R', '-h', '-d', '-m', '-', '-e', 'hex', '--absolute-names', root], { encoding: 'utf8' });
  if (r.error) return out;
  let current: string | undefined;
  for (const line of r.stdout.split('\n')) {
    if (line.startsWith('# file: ')) {
      const abs = line.slice(8).replace(/\\([0-7]{3})/g, (_m, o: string) => String.fromCharCode(parseInt(o, 8)));
      current = path.relative(root, abs);
      out.set(current, []);
    } else if (current !== undefined && line.includes('=')) {
      out.get(current)?.push(line.replace(/=0x/, '='));
    }
  }
  return out;
}

export const hex = (s: string | Buffer): string => Buffer.from(s).toString('hex');
