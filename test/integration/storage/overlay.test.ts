import { describe, it } from 'vitest';
import { OverlayDriver } from '../../../src/engine/storage/overlay-driver.js';
import { probeOverlay } from '../../../src/engine/storage/overlay-support.js';
import { removeScratch, scratchDir } from '../../helpers/storage-scratch.js';
import { driverConformance } from './driver-conformance.js';

const probeDir = scratchDir('overlay-probe');
const support = await probeOverlay(probeDir).finally(() => removeScratch(probeDir));

if (support.ok) {
  driverConformance('overlay', (home) => new OverlayDriver(home));
} else {
  describe('storage driver conformance: overlay', () => {
    it.skip(`overlay is not usable here: ${support.reason}`, () => {});
  });
}
