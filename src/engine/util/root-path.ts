/**
 * Paths inside a container's root filesystem, resolved as the container would see them: every
 * symlink on the way is followed relative to the container's root (an absolute link target means
 * the container's /, `..` stops at the root), so the host path that comes out is always inside
 * `root`, whatever the container's files say (the securejoin rule).
 */
import fs from 'node:fs';
import path from 'node:path';
import { invalid } from '../errors.js';

const MAX_LINKS = 255;

/**
 * The host path of container path `p` under `root`. With `followLast` false, a symlink as the last
 * component is not followed (the link itself is meant). Missing components are kept as they are.
 */
export function resolveInRoot(root: string, p: string, followLast = true): string {
  const rel = resolveRel(root, p, followLast);
  return rel === '' ? root : path.join(root, rel);
}

/** The same as a clean absolute container path ("/" for the root). */
export function resolveContainerPath(root: string, p: string, followLast = true): string {
  return `/${resolveRel(root, p, followLast)}`;
}

function resolveRel(root: string, p: string, followLast: boolean): string {
  const done: string[] = [];
  let todo = p.split('/').filter((s) => s !== '' && s !== '.');
  let links = 0;
  while (todo.length) {
    const part = todo.shift()!;
    if (part === '..') {
      done.pop();
      continue;
    }
    const last = todo.length === 0;
    const candidate = path.join(root, ...done, part);
    let target: string | undefined;
    if (!last || followLast) {
      try {
        if (fs.lstatSync(candidate).isSymbolicLink()) target = fs.readlinkSync(candidate);
      } catch {
        // missing: kept as it is
      }
    }
    if (target === undefined) {
      done.push(part);
      continue;
    }
    if (++links > MAX_LINKS) throw invalid(`too many levels of symbolic links resolving ${p} in the container`);
    const rest = target.split('/').filter((s) => s !== '' && s !== '.');
    if (target.startsWith('/')) done.length = 0;
    todo = [...rest, ...todo];
  }
  return done.join('/');
}
