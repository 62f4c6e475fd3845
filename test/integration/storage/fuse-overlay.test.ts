/**
 * The overlay driver with fuse-overlayfs as its mount program passes the same conformance suite as
 * with the kernel's overlay (merged views of several layers, whiteouts, opaque directories, hard
 * links to lower layers found through a read-only FUSE mount of the lowers, removal).
 */
import { describe, it } from 'vitest';
import { OverlayDriver } from '../../../src/engine/storage/overlay-driver.js';
import { FUSE_OVERLAYFS, probeOverlay } from '../../../src/engine/storage/overlay-support.js';
import { removeScratch, scratchDir } from '../../helpers/storage-scratch.js';
import { driverConformance } from './driver-conformance.js';

const probeDir = scratchDir('fuse-overlay-probe');
const support = await probeOverlay(probeDir, FUSE_OVERLAYFS).finally(() => removeScratch(probeDir));

if (support.ok) {
  driverConformance('overlay (fuse-overlayfs)', (home) => new OverlayDriver(home, FUSE_OVERLAYFS));
} else {
  describe('storage driver conformance: overlay (fuse-overlayfs)', () => {
    it.skip(`fuse-overlayfs is not usable here: ${support.reason}`, () => {});
  });
}
