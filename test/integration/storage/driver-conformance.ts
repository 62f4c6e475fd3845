/**
 * The storage driver conformance suite, run against each driver (overlay.test.ts, vfs.test.ts), as
 * containerd does for its snapshotters: layers with whiteouts, opaque directories, hard links,
 * symlinks, setuid/setgid/sticky, ownership, devices, fifos, xattrs and times; the container's
 * mounted view must equal the expected tree; container writes stay in the container; removal,
 * concurrency and failures leave nothing behind.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StorageDriver } from '../../../src/engine/storage/storage-driver.js';
import { isSelkieError } from '../../../src/engine/errors.js';
import { buildTar, dir, failingStream, file, tarStream, type TarEntry } from '../../helpers/layer-tar.js';
import { removeScratch, scratchDir } from '../../helpers/storage-scratch.js';
import { treeManifest } from '../../helpers/tree-manifest.js';
import { which } from '../../../src/engine/util/which.js';
import { base, expectedTree, middle, top } from './conformance-layers.js';

const idOf = (name: string): string => crypto.createHash('sha256').update(name).digest('hex');
const haveXattrTools = which('setfattr') !== undefined && which('getfattr') !== undefined;

export function driverConformance(name: string, open: (home: string) => StorageDriver): void {
  describe(`storage driver conformance: ${name}`, () => {
    let root = '';
    let driver: StorageDriver;
    const drivers: StorageDriver[] = [];

    beforeEach(() => {
      root = scratchDir(`storage-${name}`);
      driver = open(path.join(root, name));
      drivers.push(driver);
    });
    afterEach(() => {
      removeScratch(root);
    });
    afterAll(() => {
      if (root) removeScratch(root);
    });

    const create = async (id: string, parent: string | null, entries: TarEntry[]) =>
      driver.createLayer(id, parent, tarStream(await buildTar(entries)));

    async function buildImage(): Promise<string> {
      await create(idOf('base'), null, base);
      await create(idOf('middle'), idOf('base'), middle);
      await create(idOf('top'), idOf('middle'), top);
      return idOf('top');
    }

    const tempLeftovers = (): string[] => fs.readdirSync(driver.home).filter((n) => n.startsWith('.tmp-'));

    it('a container sees exactly the merged tree of its image layers', async () => {
      const image = await buildImage();
      for (const id of ['base', 'middle', 'top']) expect(await driver.layerExists(idOf(id))).toBe(true);
      await driver.createContainerLayer('c1', image);
      const rootfs = await driver.mount('c1');
      expect(treeManifest(rootfs, { xattrs: haveXattrTools })).toEqual(expectedTree(haveXattrTools));
      await driver.unmount('c1');
      expect(tempLeftovers()).toEqual([]);
    });

    it("keeps a container's writes out of the image layers", async () => {
      const image = await buildImage();
      await driver.createContainerLayer('c1', image);
      const rootfs = await driver.mount('c1');
      fs.writeFileSync(path.join(rootfs, 'newfile'), 'new');
      fs.rmSync(path.join(rootfs, 'etc/passwd'));
      fs.rmSync(path.join(rootfs, 'opt/app'), { recursive: true });
      fs.appendFileSync(path.join(rootfs, 'bin/sh'), ' changed');
      fs.chmodSync(path.join(rootfs, 'usr/bin/a'), 0o700);
      const changed = treeManifest(rootfs, { xattrs: false });
      expect(changed.some((l) => l.startsWith('newfile f'))).toBe(true);
      expect(changed.some((l) => l.startsWith('etc/passwd '))).toBe(false);

      await driver.createContainerLayer('c2', image);
      expect(treeManifest(await driver.mount('c2'), { xattrs: haveXattrTools })).toEqual(expectedTree(haveXattrTools));
      expect(treeManifest(await driver.mount('c1'), { xattrs: false })).toEqual(changed);
      await driver.unmount('c1');
      await driver.unmount('c2');
    });

    it('mounts idempotently and unmounts what is not mounted', async () => {
      await create(idOf('base'), null, base);
      await driver.createContainerLayer('c1', idOf('base'));
      const a = await driver.mount('c1');
      const b = await driver.mount('c1');
      expect(b).toBe(a);
      await driver.unmount('c1');
      await driver.unmount('c1');
      expect(fs.existsSync(path.join(await driver.mount('c1'), 'etc/passwd'))).toBe(true);
      await driver.unmount('c1');
    });

    it('gives a container without an image an empty, writable root', async () => {
      await driver.createContainerLayer('empty', null);
      const rootfs = await driver.mount('empty');
      expect(fs.readdirSync(rootfs)).toEqual([]);
      fs.writeFileSync(path.join(rootfs, 'x'), 'x');
      await driver.unmount('empty');
      await driver.removeContainerLayer('empty');
    });

    it('removes containers and layers completely', async () => {
      const image = await buildImage();
      await driver.createContainerLayer('c1', image);
      const rootfs = await driver.mount('c1');
      fs.writeFileSync(path.join(rootfs, 'scratch'), 'x');
      await driver.removeContainerLayer('c1');
      await expect(driver.mount('c1')).rejects.toMatchObject({ kind: 'not-found' });
      for (const id of ['top', 'middle', 'base']) {
        await driver.removeLayer(idOf(id));
        expect(await driver.layerExists(idOf(id))).toBe(false);
      }
      const left = fs.readdirSync(driver.home, { recursive: true }).map(String);
      expect(left.filter((p) => !['l', 'dir'].includes(p))).toEqual([]);
    });

    it('refuses a container layer twice and layers on a missing parent', async () => {
      await driver.createContainerLayer('c1', null);
      await expect(driver.createContainerLayer('c1', null)).rejects.toMatchObject({ kind: 'conflict' });
      await expect(create(idOf('orphan'), idOf('missing'), base)).rejects.toMatchObject({ kind: 'not-found' });
      await expect(driver.createContainerLayer('c2', idOf('missing'))).rejects.toMatchObject({ kind: 'not-found' });
      expect(await driver.layerExists(idOf('orphan'))).toBe(false);
      expect(tempLeftovers()).toEqual([]);
    });

    it('ends concurrent creations of one layer with one complete layer', async () => {
      const other = open(driver.home); // as a second process would
      const tarball = await buildTar(base);
      const results = await Promise.all([
        driver.createLayer(idOf('base'), null, tarStream(tarball, 1000)),
        other.createLayer(idOf('base'), null, tarStream(tarball, 1500)),
      ]);
      expect(results[0].diffId).toBe(results[1].diffId);
      await driver.createContainerLayer('c1', idOf('base'));
      const view = treeManifest(await driver.mount('c1'), { xattrs: false });
      expect(view.some((l) => l.startsWith('etc/shadow f 0640 0:42 size=6 '))).toBe(true);
      expect(view).toHaveLength(base.length);
      await driver.unmount('c1');
      expect(tempLeftovers()).toEqual([]);
    });

    it('leaves nothing of a layer whose stream fails', async () => {
      await create(idOf('base'), null, base);
      const tarball = await buildTar([dir('./'), file('big', 'x'.repeat(200_000)), file('after', 'a')]);
      const stream = failingStream(tarball.subarray(0, 100_000), new Error('connection reset'));
      const err = await driver.createLayer(idOf('broken'), idOf('base'), stream).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(Error);
      expect((err as Error).message).toContain('connection reset');
      expect(await driver.layerExists(idOf('broken'))).toBe(false);
      expect(tempLeftovers()).toEqual([]);
    });

    it('refuses a truncated tar and leaves nothing', async () => {
      const tarball = await buildTar([dir('./'), file('big', 'y'.repeat(50_000))]);
      const err = await driver.createLayer(idOf('t'), null, tarStream(tarball.subarray(0, 20_000))).catch((e: unknown) => e);
      expect(isSelkieError(err) && err.kind).toBe('invalid');
      expect(await driver.layerExists(idOf('t'))).toBe(false);
      expect(tempLeftovers()).toEqual([]);
    });

    it('cleans up the temporary directories of dead processes only', async () => {
      const dead = path.join(driver.home, '.tmp-999999999-abc');
      const alive = path.join(driver.home, `.tmp-${process.pid}-abc`);
      for (const d of [dead, alive]) fs.mkdirSync(path.join(d, 'diff/sub'), { recursive: true });
      await driver.cleanupTemp();
      expect(fs.existsSync(dead)).toBe(false);
      expect(fs.existsSync(alive)).toBe(true);
      fs.rmSync(alive, { recursive: true });
    });
  });
}
