/**
 * StorageDriver.layerTar rebuilds each layer's original tar byte for byte (tar-split records), for
 * both drivers: the fixture images' layers, the busybox rootfs, and tars that overwrite their own files.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { OverlayDriver } from '../../../src/engine/storage/overlay-driver.js';
import { probeOverlay } from '../../../src/engine/storage/overlay-support.js';
import type { StorageDriver } from '../../../src/engine/storage/storage-driver.js';
import { VfsDriver } from '../../../src/engine/storage/vfs-driver.js';
import { chainIds } from '../../../src/engine/util/ids.js';
import { blobPath, ensureImage } from '../../fixtures/index.js';
import { buildTar, dir, file, hardlink, symlink } from '../../helpers/layer-tar.js';
import { busyboxTar } from '../../helpers/selkie-cli.js';
import { removeScratch, scratchDir } from '../../helpers/storage-scratch.js';

const probeDir = scratchDir('overlay-probe');
const overlayOk = (await probeOverlay(probeDir).finally(() => removeScratch(probeDir))).ok;

async function sha256Of(stream: Readable): Promise<{ digest: string; bytes: Buffer }> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  const bytes = Buffer.concat(chunks);
  return { digest: `sha256:${crypto.createHash('sha256').update(bytes).digest('hex')}`, bytes };
}

const sha = (b: Buffer): string => `sha256:${crypto.createHash('sha256').update(b).digest('hex')}`;

const drivers: Array<[string, (home: string) => StorageDriver, boolean]> = [
  ['vfs', (home) => new VfsDriver(home), true],
  ['overlay', (home) => new OverlayDriver(home), overlayOk],
];

for (const [name, make, usable] of drivers) {
  describe.skipIf(!usable)(`layerTar (${name})`, () => {
    const scratch = scratchDir(`layertar-${name}`);
    const driver = make(`${scratch}/home`);
    afterAll(() => removeScratch(scratch));

    it('reproduces the diffIDs of the layers fixture image', async () => {
      const img = await ensureImage('layers');
      const layers = img.manifests[0]!.layers;
      const chain = chainIds(layers.map((l) => l.diffId)).map((c) => c.slice(7));
      for (const [i, l] of layers.entries()) {
        const tarBytes = zlib.gunzipSync(fs.readFileSync(blobPath(img.layout, l.digest)));
        await driver.createLayer(chain[i]!, i === 0 ? null : chain[i - 1]!, Readable.from([tarBytes]));
      }
      for (const [i, l] of layers.entries()) {
        expect((await sha256Of(driver.layerTar(chain[i]!))).digest).toBe(l.diffId);
      }
    });

    it('reproduces the busybox rootfs tar', async () => {
      const tarBytes = await busyboxTar();
      const id = sha(tarBytes).slice(7);
      await driver.createLayer(id, null, Readable.from([tarBytes]));
      expect((await sha256Of(driver.layerTar(id))).digest).toBe(sha(tarBytes));
    });

    it('reproduces a tar that replaces its own files', async () => {
      const tarBytes = await buildTar([
        dir('./'),
        file('a', 'first content of a'),
        file('b', 'b, later a directory'),
        file('c', 'c, later a symlink'),
        dir('d/'),
        file('d/x', 'x, before d is replaced'),
        hardlink('h', 'a'),
        file('a', 'second content of a, longer than the first'),
        dir('b/'),
        file('b/inner', 'inner'),
        symlink('c', 'a'),
        file('d', 'd is now a file'),
      ]);
      const id = sha(tarBytes).slice(7);
      await driver.createLayer(id, null, Readable.from([tarBytes]));
      const out = await sha256Of(driver.layerTar(id));
      expect(out.digest).toBe(sha(tarBytes));
    });

    it('fails the stream when a layer file changed', async () => {
      const tarBytes = await buildTar([dir('./'), file('f', 'original')]);
      const id = sha(tarBytes).slice(7);
      await driver.createLayer(id, null, Readable.from([tarBytes]));
      const root = name === 'vfs' ? `${scratch}/home/dir/${id}` : `${scratch}/home/${id}/diff`;
      fs.writeFileSync(`${root}/f`, 'changed!!');
      await expect(sha256Of(driver.layerTar(id))).rejects.toThrow(/changed since it was stored/);
    });

    it('reports a layer without a record', async () => {
      await expect(sha256Of(driver.layerTar('0'.repeat(64)))).rejects.toThrow(/without the record/);
    });
  });
}
