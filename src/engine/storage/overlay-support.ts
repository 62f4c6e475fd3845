/**
 * Whether the overlay driver can work for a storage HOME: root (mounting needs it), a kernel with
 * overlayfs, a backing filesystem that is not itself overlayfs (overlayfs cannot be an upper layer:
 * e.g. a graph root inside a container's own rootfs), and, for the full probe, a test mount with a
 * whiteout and an opaque directory that actually works there. With a FUSE mount program
 * (fuse-overlayfs) instead: the program and /dev/fuse, and the same test mount made by it.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { which } from '../util/which.js';
import { nativeBinary } from '../runtime/native-binary.js';
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

/** The FUSE overlay program used when the kernel's overlay cannot be mounted (Debian's fuse-overlayfs). */
export const FUSE_OVERLAYFS = '/usr/bin/fuse-overlayfs';

/** `info`'s store.graphOptions["overlay.mount_program"], as Podman reports it: path, package, version. */
export function mountProgramInfo(program: string): { Executable: string; Package: string; Version: string } {
  const run = (cmd: string, args: string[]) => {
    const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 5000 });
    return r.status === 0 ? `${r.stdout}${r.stderr}` : '';
  };
  // fuse-overlayfs prints its version (and fusermount3's) with a warning about options it ignores.
  const version = run(program, ['--version']).split('\n').filter((l) => /version/i.test(l)).join('\n');
  const pkg = run('dpkg-query', ['-S', program]).split('\n')[0]?.trim() ?? '';
  return { Executable: program, Package: pkg || 'Unknown', Version: version || 'Unknown' };
}

/** The cheap checks for a mount program: a reason it cannot work, or undefined. */
export function mountProgramUnsupportedReason(program: string): string | undefined {
  if (!path.isAbsolute(program)) return `the mount program ${program} is not an absolute path`;
  try {
    fs.accessSync(program, fs.constants.X_OK);
  } catch {
    return `the mount program ${program} does not exist or is not executable${program === FUSE_OVERLAYFS ? ' (apt-get install fuse-overlayfs)' : ''}`;
  }
  if (!fs.existsSync('/dev/fuse')) return '/dev/fuse does not exist (modprobe fuse), so no FUSE overlay can be mounted';
  return undefined;
}

/** The cheap checks (no mount): a reason overlay cannot work, or undefined. */
export function overlayUnsupportedReason(home: string, mountProgram?: string): string | undefined {
  if (mountProgram) return mountProgramUnsupportedReason(mountProgram);
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
  try {
    nativeBinary('selkie-mount');
  } catch (e) {
    return (e as Error).message;
  }
  return undefined;
}

/** The cheap checks, then a test mount in HOME (by the kernel, or by `mountProgram`). */
export async function probeOverlay(home: string, mountProgram?: string): Promise<OverlaySupport> {
  const reason = overlayUnsupportedReason(home, mountProgram);
  if (reason) return { ok: false, reason };
  const dir = tempPath(home, 'probe-');
  const merged = path.join(dir, 'merged');
  try {
    for (const d of ['lower', 'upper', 'work', 'merged', 'xattr']) await fsp.mkdir(path.join(dir, d), { recursive: true, mode: 0o700 });
    await fsp.mkdir(path.join(dir, 'lower', 'd'));
    await fsp.writeFile(path.join(dir, 'lower', 'd', 'f'), 'x');
    const rel = path.basename(dir);
    const fuse = mountProgram !== undefined;
    await mountOverlay(home, overlayOptions({ lower: [`${rel}/lower`], upper: `${rel}/upper`, work: `${rel}/work`, fuse }), merged, mountProgram);
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
