/**
 * Opens the storage driver for a graph root: the one asked for, else overlay when this host can
 * mount it there (probed with a test mount), else vfs. Overlay is mounted by the kernel where it
 * allows it, else by a FUSE mount program (fuse-overlayfs; probed the same way), as Podman does:
 * the program is the storage option overlay.mount_program when given, else the one chosen when the
 * root was set up (GRAPHROOT/overlay-mount-program), so every later process mounts the same way.
 * Each driver keeps its files in GRAPHROOT/<driver>. Leftovers of crashed processes are cleaned up
 * on open.
 */
import fs from 'node:fs';
import path from 'node:path';
import { SelkieError } from '../errors.js';
import { writeFileAtomic } from '../util/atomic-file.js';
import { OverlayDriver } from './overlay-driver.js';
import { FUSE_OVERLAYFS, mountProgramUnsupportedReason, overlayUnsupportedReason, probeOverlay } from './overlay-support.js';
import type { StorageDriver } from './storage-driver.js';
import { VfsDriver } from './vfs-driver.js';

export interface StorageDriverOptions {
  /** overlay.mount_program: mount overlays with this FUSE program instead of the kernel's overlayfs. */
  mountProgram?: string;
}

export async function openStorageDriver(name: 'overlay' | 'vfs' | undefined, graphRoot: string, opts: StorageDriverOptions = {}): Promise<StorageDriver> {
  const auto = name === undefined ? await defaultDriver(graphRoot, opts.mountProgram) : undefined;
  const chosen = name ?? auto!.driver;
  const home = ensureDir(path.join(graphRoot, chosen));
  let driver: StorageDriver;
  if (chosen === 'overlay') {
    let program = opts.mountProgram ?? auto?.mountProgram ?? recordedMountProgram(graphRoot);
    if (program) {
      const reason = mountProgramUnsupportedReason(program);
      if (reason) throw new SelkieError('state', `the overlay storage driver cannot work here: ${reason}`, { hint: 'install it, name another overlay.mount_program, or use --storage-driver vfs' });
    } else if (name !== undefined) {
      const reason = overlayUnsupportedReason(home);
      // The kernel's overlay is out of reach (no root, no overlayfs, overlay below): FUSE where it can work.
      if (reason && !mountProgramUnsupportedReason(FUSE_OVERLAYFS) && (await probeOverlay(home, FUSE_OVERLAYFS)).ok) {
        program = FUSE_OVERLAYFS;
        recordMountProgram(graphRoot, program);
      } else if (reason) {
        throw new SelkieError('state', `the overlay storage driver cannot work here: ${reason}`, {
          hint: 'install fuse-overlayfs, or use --storage-driver vfs (with a new --root, since images are stored per driver)',
        });
      }
    }
    driver = new OverlayDriver(home, program);
  } else {
    driver = new VfsDriver(home);
  }
  await driver.cleanupTemp().catch(() => {});
  return driver;
}

/**
 * overlay when a test mount works in GRAPHROOT/overlay (the kernel's, else fuse-overlayfs's, which is
 * then recorded), else vfs (and no empty overlay home is left).
 */
async function defaultDriver(graphRoot: string, forced?: string): Promise<{ driver: 'overlay' | 'vfs'; mountProgram?: string }> {
  const home = path.join(graphRoot, 'overlay');
  const existed = fs.existsSync(home);
  if ((await probeOverlay(ensureDir(home), forced)).ok) return { driver: 'overlay', mountProgram: forced };
  if (!forced && (await probeOverlay(home, FUSE_OVERLAYFS)).ok) {
    recordMountProgram(graphRoot, FUSE_OVERLAYFS);
    return { driver: 'overlay', mountProgram: FUSE_OVERLAYFS };
  }
  if (!existed) {
    try {
      fs.rmdirSync(home); // only if empty: never recursive, whatever the probe left
    } catch {
      // left as is
    }
  }
  return { driver: 'vfs' };
}

const mountProgramFile = (graphRoot: string) => path.join(graphRoot, 'overlay-mount-program');

function recordedMountProgram(graphRoot: string): string | undefined {
  try {
    return fs.readFileSync(mountProgramFile(graphRoot), 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

function recordMountProgram(graphRoot: string, program: string): void {
  writeFileAtomic(mountProgramFile(graphRoot), `${program}\n`);
}

function ensureDir(dir: string): string {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}
