/**
 * overlayfs mounts, through mount(8)/umount(8) (Node cannot call mount(2)). Layer paths in the
 * options are relative to the driver's HOME, where mount runs, to keep the option string (one page
 * at most) short, as containers/storage does.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { SelkieError, conflict, missingTool } from '../errors.js';
import { firstLine, runTool } from './host-tools.js';
import { isRootless } from '../config/paths.js';

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

export function overlayOptions(opts: { lower: readonly string[]; upper?: string; work?: string; readonly?: boolean }): string {
  const parts = [`lowerdir=${opts.lower.join(':')}`];
  if (opts.upper) parts.push(`upperdir=${opts.upper}`, `workdir=${opts.work}`);
  // index=off, as containers/storage: the inode index would bind upper/work to this exact set of
  // lowers (a later mount with other lowers fails) and is only needed for hard-link copy-up and
  // NFS export. No nodev: the runtime creates device nodes in the rootfs' /dev (a tmpfs mounted
  // over it) and nodev here would apply to the whole rootfs; nodev for image content is to come.
  parts.push('index=off');
  // In the rootless user's namespace trusted.* xattrs are out of reach: overlayfs uses user.overlay.*.
  if (isRootless()) parts.push('userxattr');
  if (opts.readonly) parts.push('ro');
  const s = parts.join(',');
  if (s.length > MAX_OPTIONS) {
    throw new SelkieError('invalid', `too many layers to mount (${opts.lower.length}): the overlay mount options exceed a page`, {
      hint: 'squash the image (fewer layers) or use --storage-driver vfs',
    });
  }
  return s;
}

export async function mountOverlay(home: string, options: string, target: string): Promise<void> {
  const r = await runTool('mount', ['-t', 'overlay', 'overlay', '-o', options, target], { cwd: home });
  if (r.code !== 0) throw mountFailed(target, r.stderr);
}

/** The same, synchronously (for lookups made from synchronous code; rare). */
export function mountOverlaySync(home: string, options: string, target: string): void {
  const r = spawnSync('mount', ['-t', 'overlay', 'overlay', '-o', options, target], { cwd: home, encoding: 'utf8' });
  if (r.error) throw (r.error as NodeJS.ErrnoException).code === 'ENOENT' ? missingTool('mount', 'mount') : r.error;
  if (r.status !== 0) throw mountFailed(target, r.stderr ?? '');
}

/** Unmounts `target` if it is mounted; "not mounted" is fine, "busy" is a conflict. */
export async function unmountIfMounted(target: string): Promise<void> {
  if (!isMountpoint(target)) return;
  const r = await runTool('umount', [target]);
  if (r.code === 0 || !isMountpoint(target)) return;
  if (/busy/i.test(r.stderr)) {
    throw conflict(`cannot unmount ${target}: it is busy`, 'stop the processes using the container filesystem first');
  }
  throw new SelkieError('internal', `cannot unmount ${target}: ${firstLine(r.stderr)}`);
}

function mountFailed(target: string, stderr: string): SelkieError {
  return new SelkieError('runtime', `mounting the overlay filesystem at ${target} failed: ${firstLine(stderr) || 'mount failed'}`, {
    hint: 'check `dmesg | tail` for the kernel reason, or use --storage-driver vfs',
  });
}
