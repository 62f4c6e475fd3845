/**
 * overlayfs mounts, through Selkie's selkie-mount helper (Node cannot call mount(2); mount(8) and
 * umount(8) would cost ~10 ms each reading fstab and the mount table), or through a FUSE mount
 * program (fuse-overlayfs) where the kernel's overlay cannot be mounted (`mountProgram`: storage
 * option overlay.mount_program, or chosen at storage set-up; overlay-support.ts). Layer paths in the
 * options are relative to the driver's HOME, where the mount (or the program) runs, to keep the option
 * string (one page at most) short, as containers/storage does. A FUSE mount goes with
 * `fusermount3 -u` (umount2(2) as root).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { SelkieError, conflict, missingTool } from '../errors.js';
import { firstLine, runTool } from './host-tools.js';
import { isRootless } from '../config/paths.js';
import { nativeBinary } from '../runtime/native-binary.js';

/** The kernel refuses mount data longer than a page. */
const MAX_OPTIONS = 4000;

/** Whether something is mounted exactly at `dir` (in this mount namespace). */
export function isMountpoint(dir: string): boolean {
  const target = path.resolve(dir);
  // A filesystem of its own (an overlay always is) has another device than its parent directory:
  // two stats instead of reading the mount table. Same device (a bind mount) or an error: read it.
  try {
    if (fs.lstatSync(target).dev !== fs.statSync(path.dirname(target)).dev) return true;
  } catch {
    // e.g. a mount whose filesystem no longer answers: the mount table knows
  }
  let info: string;
  try {
    info = fs.readFileSync('/proc/self/mountinfo', 'utf8');
  } catch {
    return false;
  }
  for (const line of info.split('\n')) {
    const mp = line.split(' ')[4];
    if (mp !== undefined && unescapeMountinfo(mp) === target) return true;
  }
  return false;
}

const unescapeMountinfo = (s: string): string => s.replace(/\\([0-7]{3})/g, (_m, oct: string) => String.fromCharCode(parseInt(oct, 8)));

/** `fuse`: options for a FUSE mount program, which takes the layer dirs only (no kernel-only options). */
export function overlayOptions(opts: { lower: readonly string[]; upper?: string; work?: string; readonly?: boolean; fuse?: boolean }): string {
  const parts = [`lowerdir=${opts.lower.join(':')}`];
  if (opts.upper) parts.push(`upperdir=${opts.upper}`, `workdir=${opts.work}`);
  if (opts.fuse) return checkLength(parts.join(','), opts.lower.length);
  // index=off, as containers/storage: the inode index would bind upper/work to this exact set of
  // lowers (a later mount with other lowers fails) and is only needed for hard-link copy-up and
  // NFS export. No nodev: the runtime creates device nodes in the rootfs' /dev (a tmpfs mounted
  // over it) and nodev here would apply to the whole rootfs; nodev for image content is to come.
  parts.push('index=off');
  // In the rootless user's namespace trusted.* xattrs are out of reach: overlayfs uses user.overlay.*.
  if (isRootless()) parts.push('userxattr');
  if (opts.readonly) parts.push('ro');
  return checkLength(parts.join(','), opts.lower.length);
}

function checkLength(s: string, layers: number): string {
  if (s.length > MAX_OPTIONS) {
    throw new SelkieError('invalid', `too many layers to mount (${layers}): the overlay mount options exceed a page`, {
      hint: 'squash the image (fewer layers) or use --storage-driver vfs',
    });
  }
  return s;
}

/** The command that mounts, run in `home`: selkie-mount, or the mount program (`PROGRAM -o OPTIONS TARGET`). */
function mountCommand(home: string, options: string, target: string, mountProgram?: string): [string, string[]] {
  return mountProgram ? [mountProgram, ['-o', options, target]] : [nativeBinary('selkie-mount'), ['overlay', home, options, target]];
}

export async function mountOverlay(home: string, options: string, target: string, mountProgram?: string): Promise<void> {
  const [cmd, args] = mountCommand(home, options, target, mountProgram);
  const r = await runTool(cmd, args, { cwd: home });
  if (r.code !== 0 || (mountProgram && !isMountpoint(target))) throw mountFailed(target, r.stderr, mountProgram);
}

/** The same, synchronously (for lookups made from synchronous code; rare). */
export function mountOverlaySync(home: string, options: string, target: string, mountProgram?: string): void {
  const [cmd, args] = mountCommand(home, options, target, mountProgram);
  const r = spawnSync(cmd, args, { cwd: home, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.error) throw (r.error as NodeJS.ErrnoException).code === 'ENOENT' && mountProgram ? missingTool(cmd, 'fuse-overlayfs') : r.error;
  if (r.status !== 0 || (mountProgram && !isMountpoint(target))) throw mountFailed(target, r.stderr ?? '', mountProgram);
}

/** The filesystem type mounted at `target` per /proc/self/mountinfo ("overlay", "fuse.fuse-overlayfs", ...). */
export function mountTypeAt(target: string): string | undefined {
  const want = path.resolve(target);
  let info: string;
  try {
    info = fs.readFileSync('/proc/self/mountinfo', 'utf8');
  } catch {
    return undefined;
  }
  let type: string | undefined;
  for (const line of info.split('\n')) {
    const f = line.split(' ');
    if (f[4] === undefined || unescapeMountinfo(f[4]) !== want) continue;
    const sep = f.indexOf('-');
    if (sep > 0) type = f[sep + 1]; // the last one listed is the one on top
  }
  return type;
}

/** How a mount goes: umount2(2) as root (FUSE mounts too, no mount table read), a non-root user's FUSE mount with fusermount3 -u. */
function unmountCommand(target: string): [string, string[]] {
  const syscall: [string, string[]] = [nativeBinary('selkie-mount'), ['umount', target]];
  if (process.geteuid?.() === 0) return syscall;
  return mountTypeAt(target)?.startsWith('fuse') ? ['fusermount3', ['-u', target]] : syscall;
}

/** Unmounts `target` if it is mounted; "not mounted" is fine, "busy" is a conflict. */
export async function unmountIfMounted(target: string): Promise<void> {
  if (!isMountpoint(target)) return;
  const [cmd, args] = unmountCommand(target);
  const r = await runTool(cmd, args);
  if (r.code === 0 || !isMountpoint(target)) return;
  if (/busy/i.test(r.stderr)) {
    throw conflict(`cannot unmount ${target}: it is busy`, 'stop the processes using the container filesystem first');
  }
  throw new SelkieError('internal', `cannot unmount ${target}: ${firstLine(r.stderr)}`);
}

function mountFailed(target: string, stderr: string, mountProgram?: string): SelkieError {
  // fuse-overlayfs warns about options it ignores before the real reason.
  const reason = (stderr.split('\n').filter((l) => l.trim() && !/^unknown argument ignored/.test(l))[0] ?? '').replace(/^selkie-mount: /, '');
  if (mountProgram) {
    return new SelkieError('runtime', `mounting the overlay filesystem at ${target} with ${mountProgram} failed: ${reason || 'it mounted nothing'}`, {
      hint: 'check that /dev/fuse exists and the program works, or use --storage-driver vfs',
    });
  }
  return new SelkieError('runtime', `mounting the overlay filesystem at ${target} failed: ${firstLine(reason) || 'mount failed'}`, {
    hint: 'check `dmesg | tail` for the kernel reason, or use --storage-driver vfs',
  });
}
