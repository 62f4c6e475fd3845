/**
 * Opens the storage driver for a graph root: the one asked for, else overlay when this host can
 * mount it there (probed with a test mount), else vfs. Each driver keeps its files in
 * GRAPHROOT/<driver>. Leftovers of crashed processes are cleaned up on open.
 */
import fs from 'node:fs';
import path from 'node:path';
import { SelkieError } from '../errors.js';
import { OverlayDriver } from './overlay-driver.js';
import { overlayUnsupportedReason, probeOverlay } from './overlay-support.js';
import type { StorageDriver } from './storage-driver.js';
import { VfsDriver } from './vfs-driver.js';

export async function openStorageDriver(name: 'overlay' | 'vfs' | undefined, graphRoot: string): Promise<StorageDriver> {
  const chosen = name ?? (await defaultDriver(graphRoot));
  const home = ensureDir(path.join(graphRoot, chosen));
  let driver: StorageDriver;
  if (chosen === 'overlay') {
    const reason = name === undefined ? undefined : overlayUnsupportedReason(home);
    if (reason) {
      throw new SelkieError('state', `the overlay storage driver cannot work here: ${reason}`, {
        hint: 'use --storage-driver vfs (with a new --root, since images are stored per driver)',
      });
    }
    driver = new OverlayDriver(home);
  } else {
    driver = new VfsDriver(home);
  }
  await driver.cleanupTemp().catch(() => {});
  return driver;
}

/** overlay when a test mount works in GRAPHROOT/overlay, else vfs (and no empty overlay home is left). */
async function defaultDriver(graphRoot: string): Promise<'overlay' | 'vfs'> {
  const home = path.join(graphRoot, 'overlay');
  const existed = fs.existsSync(home);
  if ((await probeOverlay(ensureDir(home))).ok) return 'overlay';
  if (!existed) {
    try {
      fs.rmdirSync(home); // only if empty: never recursive, whatever the probe left
    } catch {
      // left as is
    }
  }
  return 'vfs';
}

function ensureDir(dir: string): string {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}
