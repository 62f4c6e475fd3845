/**
 * The parts of a tar entry's header the applier uses, PAX records applied: numeric owner (tar's
 * uid/gid, never the names), permission bits with setuid/setgid/sticky, times with fractions, xattrs.
 */
import { invalid } from '../errors.js';
import type { ApplyState } from './apply-state.js';
import { normalizeEntryPath } from './path-guard.js';
import { entryXattrs, isPaxSparse, paxNumber, type PaxHeaders } from './pax-xattrs.js';
import { isReservedXattr } from './whiteout.js';
import { isWritableXattrName } from './xattr-batch.js';

export interface EntryInfo {
  /** The name as the tar has it, for messages. */
  entry: string;
  /** Normalized path relative to the layer root ('' for the root). */
  rel: string;
  uid: number;
  gid: number;
  /** Permission bits, including setuid/setgid/sticky. */
  mode: number;
  atime: number;
  mtime: number;
  xattrs: Map<string, Buffer>;
}

export function entryInfo(header: PaxHeaders, state: ApplyState): EntryInfo {
  const entry = header.name;
  if (isPaxSparse(header)) {
    throw invalid(`layer entry ${JSON.stringify(entry)} is a GNU sparse file, which Selkie does not support`, 're-create the image without sparse files');
  }
  const mtime = paxNumber(header, 'mtime') ?? (header.mtime ? header.mtime.getTime() / 1000 : 0);
  const xattrs = entryXattrs(header, entry);
  for (const name of [...xattrs.keys()]) {
    if (isReservedXattr(name)) {
      xattrs.delete(name);
      state.warnings.push(`layer entry ${JSON.stringify(entry)}: ignored reserved xattr ${name}`);
    } else if (!isWritableXattrName(name)) {
      xattrs.delete(name);
      state.warnings.push(`layer entry ${JSON.stringify(entry)}: ignored xattr with an unusable name ${JSON.stringify(name)}`);
    }
  }
  return {
    entry,
    rel: normalizeEntryPath(entry),
    uid: idOf(paxNumber(header, 'uid') ?? header.uid, entry),
    gid: idOf(paxNumber(header, 'gid') ?? header.gid, entry),
    mode: (header.mode ?? 0o644) & 0o7777,
    atime: paxNumber(header, 'atime') ?? mtime,
    mtime: Number.isFinite(mtime) ? mtime : 0,
    xattrs,
  };
}

function idOf(n: number | undefined, entry: string): number {
  if (n === undefined || n === null) return 0;
  if (!Number.isInteger(n) || n < 0 || n > 0xfffffffe) throw invalid(`layer entry ${JSON.stringify(entry)} has an invalid owner id ${n}`);
  return n;
}
