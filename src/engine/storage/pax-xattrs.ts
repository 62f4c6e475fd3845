/**
 * Extended attributes of tar entries, from PAX records "SCHILY.xattr.<name>=<value>" (the form GNU
 * tar, Go's archive/tar and so every image builder write).
 *
 * tar-stream decodes PAX records as UTF-8 strings, which corrupts binary values such as
 * security.capability. So keepRawPax() keeps the raw bytes of each PAX header that carries xattrs
 * next to its decoded records (a hook on tar-stream's Extract#_decodeLongHeader, present in
 * tar-stream 3.x), and entryXattrs() reads values from those bytes. Without the hook, values come
 * from the decoded strings and a value that did not survive decoding is refused.
 */
import type { Extract, Header } from 'tar-stream';
import { invalid } from '../errors.js';

const XATTR_PREFIX = 'SCHILY.xattr.';
const RAW = Symbol('selkie.rawPax');

type PaxRecords = Record<string, string> & { [RAW]?: Buffer };
/** A tar-stream header with its PAX records (tar-stream types them as unknown) and any type flag. */
export type PaxHeaders = Omit<Header, 'pax' | 'type'> & { pax?: PaxRecords | null; type: Header['type'] | null };

interface ExtractInternals {
  _decodeLongHeader?: (buf: Buffer) => void;
  _header?: { type?: string | null } | null;
  _pax?: PaxRecords | null;
}

export function keepRawPax(extract: Extract): void {
  const ex = extract as unknown as ExtractInternals;
  const decode = ex._decodeLongHeader;
  if (typeof decode !== 'function') return;
  ex._decodeLongHeader = function (this: ExtractInternals, buf: Buffer) {
    decode.call(this, buf);
    const pax = this._pax;
    if (this._header?.type === 'pax-header' && pax && Object.keys(pax).some((k) => k.startsWith(XATTR_PREFIX))) {
      pax[RAW] = Buffer.from(buf);
    }
  };
}

/** The entry's xattrs by name (empty map when it has none). */
export function entryXattrs(header: PaxHeaders, entry: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const pax = header.pax;
  if (!pax) return out;
  const raw = pax[RAW] ? rawXattrs(pax[RAW]) : undefined;
  for (const [key, value] of Object.entries(pax)) {
    if (!key.startsWith(XATTR_PREFIX) || typeof value !== 'string') continue;
    const name = key.slice(XATTR_PREFIX.length);
    const bytes = raw?.get(name);
    if (bytes) out.set(name, bytes);
    else if (value.includes('\uFFFD')) {
      throw invalid(`layer entry ${JSON.stringify(entry)}: the value of xattr ${name} could not be decoded`);
    } else out.set(name, Buffer.from(value, 'utf8'));
  }
  return out;
}

/** The SCHILY.xattr records of a raw PAX header ("<len> <key>=<value>\n" records), values as bytes. */
function rawXattrs(buf: Buffer): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  let pos = 0;
  while (pos < buf.length) {
    const space = buf.indexOf(0x20, pos);
    if (space < 0) break;
    const len = Number.parseInt(buf.toString('latin1', pos, space), 10);
    if (!(len > 0) || pos + len > buf.length) break;
    const record = buf.subarray(space + 1, pos + len - 1); // drop the trailing "\n"
    const eq = record.indexOf(0x3d);
    if (eq > 0) {
      const key = record.toString('utf8', 0, eq);
      if (key.startsWith(XATTR_PREFIX)) out.set(key.slice(XATTR_PREFIX.length), Buffer.from(record.subarray(eq + 1)));
    }
    pos += len;
  }
  return out;
}

/** A numeric PAX record (uid, gid, mtime, atime with a fraction), or undefined. */
export function paxNumber(header: PaxHeaders, key: string): number | undefined {
  const v = header.pax?.[key];
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

/** GNU sparse files come as PAX records we do not expand; applying them as plain files would corrupt them. */
export function isPaxSparse(header: PaxHeaders): boolean {
  const pax = header.pax;
  return !!pax && Object.keys(pax).some((k) => k.startsWith('GNU.sparse.'));
}
