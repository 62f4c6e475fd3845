/**
 * Whether the overlay driver can work for a storage HOME: root (mounting needs it), a kernel with
 * overlayfs, a backing filesystem that is not itself overlayfs (overlayfs cannot be an upper layer:
 * e.g. a graph root inside a container's own rootfs), and, for the full probe, a test mount with a
 * whiteout and an opaque directory that actually works there.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { which } from '../util/which.js';
import { removeTree, runTool } from './host-tools.js';
import { tempPath } from './layer-dirs.js';
import { isMountpoint, mountOverlay, overlayOptions, unmountIfMounted } from './overlay-mount.js';
import { OVERLAY_OPAQUE_XATTR } from './whiteout.js';

const OVERLAYFS_MAGIC = 0x794c7630;

export interface OverlaySupport {
  ok: boolean;
  /** Why not, when not. */
  reason?: string;
}

/** The cheap checks (no mount): a reason overlay cannot work, or undefined. */
export function overlayUnsupportedReason(home: string): string | undefined {
  if (process.geteuid?.() !== 0) return 'the overlay driver needs root';
  let filesystems = '';
  try {
    filesystems = fs.readFileSync('/proc/filesystems', 'utf8');
  } catch {
    // no /proc: fall through to "no overlay"
  }
  if (!/\toverlay$/m.test(filesystems)) return 'the kernel has no overlay filesystem (try: modprobe overlay)';
  try {
    if (fs.statfsSync(home).type === OVERLAYFS_MAGIC) {
      return `${home} is itself on overlayfs, which cannot hold overlay layers (overlay on overlay); put the storage root on another filesystem`;
    }
  } catch {
    // HOME not created yet: the test mount will tell
  }
  if (!which('mount')) return 'mount(8) is not installed (apt-get install mount)';
  return undefined;
}

/** The cheap checks, then a test mount in HOME. */
export async function probeOverlay(home: string): Promise<OverlaySupport> {
  const reason = overlayUnsupportedReason(home);
  if (reason) return { ok: false, reason };
  const dir = tempPath(home, 'probe-');
  const merged = path.join(dir, 'merged');
  try {
    for (const d of ['lower', 'upper', 'work', 'merged', 'xattr']) await fsp.mkdir(path.join(dir, d), { recursive: true, mode: 0o700 });
    await fsp.mkdir(path.join(dir, 'lower', 'd'));
    await fsp.writeFile(path.join(dir, 'lower', 'd', 'f'), 'x');
    const rel = path.basename(dir);
    await mountOverlay(home, overlayOptions({ lower: [`${rel}/lower`], upper: `${rel}/upper`, work: `${rel}/work` }), merged);
    // Deleting a lower file must leave a whiteout: the kernel needs what our layers rely on.
    await fsp.rm(path.join(merged, 'd', 'f'));
    const st = await fsp.lstat(path.join(dir, 'upper', 'd', 'f'));
    if (!(st.isCharacterDevice() && st.rdev === 0)) return { ok: false, reason: 'overlayfs did not create a whiteout on this filesystem' };
    if (which('setfattr') && (await runTool('setfattr', ['-n', OVERLAY_OPAQUE_XATTR, '-v', 'y', path.join(dir, 'xattr')])).code !== 0) {
      return { ok: false, reason: `${home} does not support ${OVERLAY_OPAQUE_XATTR.split('.')[0]}.* xattrs` };
    }
    return { ok: true };
  } catch (e) {
    return { ok: false, reason: e instanceof Error ? e.message : String(e) };
  } finally {
    if (isMountpoint(merged)) await unmountIfMounted(merged).catch(() => {});
    await removeTree(dir).catch(() => {});
  }
}
