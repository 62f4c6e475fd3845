import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { OverlayDriver } from '../../../src/engine/storage/overlay-driver.js';
import { overlayUnsupportedReason, probeOverlay } from '../../../src/engine/storage/overlay-support.js';
import { openStorageDriver } from '../../../src/engine/storage/storage-factory.js';
import { buildTar, file, tarStream } from '../../helpers/layer-tar.js';
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

describe.skipIf(!support.ok)('overlay support detection', () => {
  it('refuses a storage home that is itself on overlayfs', async () => {
    const dir = scratchDir('overlay-on-overlay');
    try {
      for (const d of ['lower', 'upper', 'work', 'merged']) fs.mkdirSync(path.join(dir, d));
      const r = spawnSync('mount', ['-t', 'overlay', 'overlay', '-o', `lowerdir=${dir}/lower,upperdir=${dir}/upper,workdir=${dir}/work`, `${dir}/merged`]);
      expect(r.status).toBe(0);
      expect(overlayUnsupportedReason(path.join(dir, 'merged'))).toMatch(/overlay on overlay/);
      expect((await probeOverlay(path.join(dir, 'merged'))).ok).toBe(false);
      await expect(openStorageDriver('overlay', path.join(dir, 'merged', 'root'))).rejects.toMatchObject({ kind: 'state' });
      expect((await openStorageDriver(undefined, path.join(dir, 'merged', 'root2'))).name).toBe('vfs');
    } finally {
      removeScratch(dir);
    }
  });

  it('opens overlay by default where it works, and vfs when asked', async () => {
    const dir = scratchDir('factory');
    try {
      expect((await openStorageDriver(undefined, dir)).name).toBe('overlay');
      const vfs = await openStorageDriver('vfs', dir);
      expect([vfs.name, vfs.home]).toEqual(['vfs', path.join(dir, 'vfs')]);
      expect(fs.readdirSync(path.join(dir, 'overlay')).filter((n) => n.startsWith('.tmp-'))).toEqual([]);
    } finally {
      removeScratch(dir);
    }
  });
});

describe.skipIf(!support.ok)('overlay layout', () => {
  it("removes a removal's dangling short link when a dead process's temp dir shows it was interrupted", async () => {
    const dir = scratchDir('overlay-dangling');
    try {
      const driver = new OverlayDriver(path.join(dir, 'overlay'));
      await driver.createLayer('gone', null, tarStream(await buildTar([file('etc/hostname', 'h')])));
      const short = fs.readFileSync(path.join(driver.home, 'gone', 'link'), 'utf8');
      // A removal that died after moving the layer aside, before anything else (as an older selkie ordered it).
      fs.renameSync(path.join(driver.home, 'gone'), path.join(driver.home, '.tmp-999999999-gone'));
      await driver.cleanupTemp();
      expect(fs.existsSync(path.join(driver.home, '.tmp-999999999-gone'))).toBe(false);
      expect(fs.readdirSync(path.join(driver.home, 'l'))).not.toContain(short);
      // And a removal now takes the link first.
      await driver.createLayer('next', null, tarStream(await buildTar([file('etc/motd', 'm')])));
      await driver.removeLayer('next');
      expect(fs.readdirSync(path.join(driver.home, 'l'))).toEqual([]);
    } finally {
      removeScratch(dir);
    }
  });

  it('recreates a short link lost in a crash between publishing a layer and linking it', async () => {
    const dir = scratchDir('overlay-links');
    try {
      const driver = new OverlayDriver(path.join(dir, 'overlay'));
      await driver.createLayer('base', null, tarStream(await buildTar([file('etc/hostname', 'h')])));
      await driver.createLayer('child', 'base', tarStream(await buildTar([file('etc/motd', 'm')])));
      const short = fs.readFileSync(path.join(driver.home, 'base', 'link'), 'utf8');
      expect(fs.readlinkSync(path.join(driver.home, 'l', short))).toBe('../base/diff');
      expect(fs.readFileSync(path.join(driver.home, 'child', 'lower'), 'utf8')).toBe(`l/${short}`);
      fs.rmSync(path.join(driver.home, 'l', short));
      await driver.createContainerLayer('c', 'child');
      const rootfs = await driver.mount('c');
      expect(fs.readdirSync(path.join(rootfs, 'etc')).sort()).toEqual(['hostname', 'motd']);
      await driver.removeContainerLayer('c');
    } finally {
      removeScratch(dir);
    }
  });
});
