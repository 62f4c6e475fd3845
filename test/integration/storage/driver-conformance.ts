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
import { buildTar, dir, failingStream, file, hardlink, tarStream, whiteout, type TarEntry } from '../../helpers/layer-tar.js';
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

    beforeEach(() => {
      root = scratchDir(`storage-${name}`);
      driver = open(path.join(root, name));
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

    it('handles layers that omit parent directories, with hard links and whiteouts below them', async () => {
      await create(idOf('a0'), null, [dir('./'), file('readme', 'r'), dir('srv/'), file('srv/old', 'old')]);
      await create(idOf('a'), idOf('a0'), [
        dir('./'),
        whiteout('.wh.srv'),
        dir('srv/', { mode: 0o750, gid: 7 }),
        dir('srv/sub/', { mode: 0o700, uid: 5 }),
        file('srv/sub/f', 'f'),
        file('srv/sub/gone', 'gone'),
      ]);
      await create(idOf('b'), idOf('a'), [file('srv/sub/g', 'g'), hardlink('srv/h', 'srv/sub/f'), whiteout('srv/sub/.wh.gone')]);
      await driver.createContainerLayer('c1', idOf('b'));
      const rootfs = await driver.mount('c1');
      const view = treeManifest(rootfs, { xattrs: false }).map((l) => l.replace(/ mtime=\d+/, ''));
      expect(view).toEqual([
        '. d 0755 0:0',
        'readme f 0644 0:0 size=1 sha=454349e422f05297',
        'srv d 0750 0:7',
        'srv/h f 0644 0:0 size=1 sha=252f10c83610ebca',
        'srv/sub d 0700 5:0',
        'srv/sub/f f 0644 0:0 size=1 sha=252f10c83610ebca link=srv/h',
        'srv/sub/g f 0644 0:0 size=1 sha=cd0aa9856147b6c5',
      ]);
      await driver.unmount('c1');
      expect(tempLeftovers()).toEqual([]);
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
      // Only the driver's (empty) bookkeeping directories may remain.
      const left = fs.readdirSync(driver.home, { recursive: true }).map(String);
      expect(left.filter((p) => !fs.lstatSync(path.join(driver.home, p)).isDirectory() || p.includes(idOf('base')))).toEqual([]);
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
