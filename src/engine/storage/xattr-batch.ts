/**
 * Extended attributes, set in one batch per layer: Node has no setxattr(2), so a `setfattr -h
 * --restore=-` run (Debian package attr) reads a getfattr-style dump of every path and value.
 * -h: never dereference the final symlink; parents are real directories (the caller checks them).
 */
import { SelkieError } from '../errors.js';
import { which } from '../util/which.js';
import { firstLine, runTool } from './host-tools.js';

export type XattrSet = ReadonlyMap<string, ReadonlyMap<string, Buffer>>;

export const haveSetfattr = (): boolean => which('setfattr') !== undefined;

/** An xattr name setfattr's dump format can carry. */
export const isWritableXattrName = (name: string): boolean => /^[\x21-\x3c\x3e-\x7e]+$/.test(name) && name.includes('.');

/**
 * Sets the xattrs (absolute path → name → value). Resolves with setfattr's complaints (one line
 * each) when some could not be set, e.g. user.* on a symlink or a filesystem without xattrs.
 */
export async function setXattrs(xattrs: XattrSet): Promise<string[]> {
  if (xattrs.size === 0) return [];
  const r = await runTool('setfattr', ['-h', '--restore=-'], { input: dump(xattrs) });
  if (r.code === 0) return [];
  const lines = r.stderr.split('\n').filter((l) => l.trim() !== '');
  return lines.length > 0 ? lines : [`setfattr exited with code ${r.code}`];
}

/** Like setXattrs, but any failure is an error (xattrs the layer cannot work without). */
export async function setXattrsOrFail(xattrs: XattrSet, what: string): Promise<void> {
  const problems = await setXattrs(xattrs);
  if (problems.length > 0) {
    throw new SelkieError('internal', `${what} failed: ${firstLine(problems[0])}`, {
      hint: 'the storage needs a filesystem with trusted.* xattrs, written as root',
    });
  }
}

function dump(xattrs: XattrSet): string {
  const parts: string[] = [];
  for (const [file, attrs] of xattrs) {
    parts.push(`# file: ${quotePath(file)}\n`);
    for (const [name, value] of attrs) parts.push(`${name}=${value.length === 0 ? '""' : `0s${value.toString('base64')}`}\n`);
    parts.push('\n');
  }
  return parts.join('');
}

/** setfattr unquotes "\ooo" octal escapes in dump paths; escape everything but plain characters. */
function quotePath(p: string): string {
  let out = '';
  for (const byte of Buffer.from(p, 'utf8')) {
    const plain = byte > 0x20 && byte < 0x7f && byte !== 0x5c;
    out += plain ? String.fromCharCode(byte) : `\\${byte.toString(8).padStart(3, '0')}`;
  }
  return out;
}
