/**
 * Docker's `cp` path rules, as a pure function: where the source's tar is extracted and under
 * which name. The rules (docker cp reference):
 *   file → missing DEST: written as DEST (DEST ending in / is an error: the directory must exist)
 *   file → existing file: overwritten;  file → existing directory: copied into it under its name
 *   dir → missing DEST: DEST is created with the directory's content
 *   dir → existing file: error;  dir → existing directory: nested inside it, or with SRC ending
 *   in "/." its content copied into it
 *   a missing DEST's parent directory must exist.
 */
import path from 'node:path';
import { usageError } from '../../engine/errors.js';

export interface CopySource {
  /** The path as the user gave it (trailing "/" and "/." matter). */
  given: string;
  isDir: boolean;
  /** Base name of the source (its tar entries start with it). */
  base: string;
}

export interface CopyDestination {
  given: string;
  exists: boolean;
  isDir: boolean;
  /** Whether the parent directory of a missing destination exists. */
  parentIsDir: boolean;
}

export interface CopyPlan {
  /** Directory to extract into. */
  dir: string;
  /** Name the source's top entry gets there; '' puts a directory's content directly into `dir`. */
  name: string;
}

const stripSlashes = (p: string) => (p.length > 1 ? p.replace(/\/+$/, '') || '/' : p);

export function copyPlan(src: CopySource, dst: CopyDestination): CopyPlan {
  const contentsOnly = /(^|\/)\.$/.test(src.given);
  if (!src.isDir && (src.given.endsWith('/') || contentsOnly)) throw usageError(`source ${src.given} is not a directory`);
  const dest = stripSlashes(dst.given.replace(/\/\.$/, '/'));
  const destDirOnly = /\/\.?$/.test(dst.given);
  if (!dst.exists) {
    if (!src.isDir && destDirOnly) throw usageError(`destination directory ${dst.given} does not exist`, 'create it first, or name a file without the trailing /');
    if (!dst.parentIsDir) throw usageError(`destination ${dst.given}: its parent directory does not exist`, 'create the parent directory first');
    return { dir: path.posix.dirname(dest), name: path.posix.basename(dest) };
  }
  if (!dst.isDir) {
    if (src.isDir) throw usageError(`cannot copy a directory to a file: ${dst.given} is not a directory`);
    if (destDirOnly) throw usageError(`destination ${dst.given} is not a directory`);
    return { dir: path.posix.dirname(dest), name: path.posix.basename(dest) };
  }
  if (src.isDir && contentsOnly) return { dir: dest, name: '' };
  return { dir: dest, name: src.base };
}

/** The entry renaming that carries out a plan on a tar whose entries start with `base`. */
export function renameEntries(base: string, name: string): (rel: string) => string | null {
  return (rel) => {
    if (rel === base) return name === '' ? null : name;
    if (rel.startsWith(`${base}/`)) return name === '' ? rel.slice(base.length + 1) : `${name}${rel.slice(base.length)}`;
    return null; // not part of the copied path
  };
}

/** "CTR:/path" → container and path; a local path (starting with / or ., or without a colon) → container undefined. */
export function splitCopyArg(arg: string): { container?: string; path: string } {
  if (arg === '-' || arg.startsWith('/') || arg.startsWith('.')) return { path: arg };
  const colon = arg.indexOf(':');
  if (colon <= 0) return { path: arg };
  return { container: arg.slice(0, colon), path: arg.slice(colon + 1) };
}
