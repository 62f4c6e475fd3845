/**
 * OCI layer whiteouts (image-spec layer.md): an entry ".wh.NAME" deletes NAME, as it was in the
 * lower layers, from the merged view; ".wh..wh..opq" in a directory hides all of that directory's
 * lower content. Other ".wh..wh." names are AUFS bookkeeping and are ignored.
 *
 * How a whiteout is stored depends on the driver: vfs deletes in its full copy; overlayfs wants a
 * character device 0/0 named NAME, and the xattr trusted.overlay.opaque=y on an opaque directory.
 */
import { invalid } from '../errors.js';
import { isRootless } from '../config/paths.js';
import { joinRel, parentOf } from './path-guard.js';

export const WHITEOUT_PREFIX = '.wh.';
export const OPAQUE_MARKER = '.wh..wh..opq';
const META_PREFIX = '.wh..wh.';

/** Rootless (in the user's namespace) overlay is mounted with `userxattr`: its xattrs are user.overlay.*. */
export const OVERLAY_OPAQUE_XATTR = isRootless() ? 'user.overlay.opaque' : 'trusted.overlay.opaque';

export type Whiteout =
  | { kind: 'whiteout'; /** the path it deletes */ target: string }
  | { kind: 'opaque'; /** the directory made opaque */ dir: string }
  | { kind: 'ignore' };

/** What a normalized entry path means if it is a whiteout; null for ordinary entries. */
export function parseWhiteout(rel: string, entry: string): Whiteout | null {
  const dir = parentOf(rel);
  const base = rel.slice(dir === '' ? 0 : dir.length + 1);
  if (!base.startsWith(WHITEOUT_PREFIX)) return null;
  if (base === OPAQUE_MARKER) return { kind: 'opaque', dir };
  if (base.startsWith(META_PREFIX)) return { kind: 'ignore' };
  const name = base.slice(WHITEOUT_PREFIX.length);
  if (name === '' || name === '.' || name === '..') {
    throw invalid(`layer entry ${JSON.stringify(entry)} is a whiteout of nothing`, 'the image is malformed');
  }
  return { kind: 'whiteout', target: joinRel(dir, name) };
}

/** Overlay whiteouts are character devices with device number 0/0. */
export function isOverlayWhiteout(st: { isCharacterDevice(): boolean; rdev: number }): boolean {
  return st.isCharacterDevice() && st.rdev === 0;
}

/** Extended attributes a layer may not carry: they would change how overlayfs reads the layer. */
export function isReservedXattr(name: string): boolean {
  return name.startsWith('trusted.overlay.') || name.startsWith('user.overlay.');
}
