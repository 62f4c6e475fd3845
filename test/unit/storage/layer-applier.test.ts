import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isSelkieError } from '../../../src/engine/errors.js';
import { applyLayer } from '../../../src/engine/storage/layer-applier.js';
import { normalizeEntryPath } from '../../../src/engine/storage/path-guard.js';
import { VfsDriver } from '../../../src/engine/storage/vfs-driver.js';
import { which } from '../../../src/engine/util/which.js';
import { buildTar, dir, file, hardlink, symlink, tarStream, type TarEntry } from '../../helpers/layer-tar.js';
import { removeScratch, scratchDir } from '../../helpers/storage-scratch.js';
import { readXattrs } from '../../helpers/tree-manifest.js';

let scratch = '';
let root = '';
let outside = '';

beforeEach(() => {
  scratch = scratchDir('applier');
  root = path.join(scratch, 'layer');
  outside = path.join(scratch, 'outside');
  fs.mkdirSync(root);
  fs.mkdirSync(outside);
  fs.writeFileSync(path.join(outside, 'victim'), 'untouched');
});
afterEach(() => removeScratch(scratch));

const apply = async (entries: TarEntry[]) => applyLayer(root, tarStream(await buildTar(entries)), { whiteouts: 'delete' });

async function expectRefused(entries: TarEntry[], entryName: string): Promise<void> {
  const err = await apply(entries).catch((e: unknown) => e);
  expect(isSelkieError(err) && err.kind, String(err)).toBe('invalid');
  expect((err as Error).message).toContain(JSON.stringify(entryName));
  expect(fs.readFileSync(path.join(outside, 'victim'), 'utf8')).toBe('untouched');
  expect(fs.readdirSync(outside)).toEqual(['victim']);
  expect(fs.existsSync(path.join(scratch, 'x'))).toBe(false);
}

describe('entry names', () => {
  it('normalizes harmless forms and refuses escapes', () => {
    expect(normalizeEntryPath('./etc/passwd')).toBe('etc/passwd');
    expect(normalizeEntryPath('/etc//passwd')).toBe('etc/passwd');
    expect(normalizeEntryPath('usr/./bin/../lib/')).toBe('usr/lib');
    expect(normalizeEntryPath('./')).toBe('');
    for (const bad of ['../x', '/abs/../../x', 'a/../../x', '..', './..']) {
      expect(() => normalizeEntryPath(bad)).toThrow(/points outside the layer/);
    }
  });
});

describe('applyLayer containment', () => {
  it('refuses ../x', async () => {
    await expectRefused([file('../x', 'x')], '../x');
  });

  it('refuses /abs/../../x', async () => {
    await expectRefused([file('/abs/../../x', 'x')], '/abs/../../x');
  });

  it('never writes through a symlinked parent pointing outside', async () => {
    await expectRefused([symlink('a', outside), file('a/victim', 'pwned')], 'a/victim');
    await expectRefused([symlink('b', '..'), file('b/x', 'pwned')], 'b/x');
    await expectRefused([symlink('c', outside), dir('c/sub/')], 'c/sub/');
  });

  it('never links to files outside', async () => {
    const before = fs.statSync('/etc/passwd').nlink;
    await expectRefused([hardlink('h', '../outside/victim')], 'h');
    await expectRefused([hardlink('h', '/etc/passwd')], 'h'); // "/etc/passwd" means etc/passwd of the layer: absent
    await expectRefused([symlink('a', outside), hardlink('h', 'a/victim')], 'h');
    expect(fs.statSync('/etc/passwd').nlink).toBe(before);
    expect(fs.statSync(path.join(outside, 'victim')).nlink).toBe(1);
  });

  it('stores absolute symlinks as they are but never follows them on write', async () => {
    await apply([symlink('lnk', path.join(outside, 'victim')), symlink('etc-passwd', '/etc/passwd')]);
    expect(fs.readlinkSync(path.join(root, 'lnk'))).toBe(path.join(outside, 'victim'));
    expect(fs.readlinkSync(path.join(root, 'etc-passwd'))).toBe('/etc/passwd');
    await apply([file('lnk', 'replaces the link'), dir('etc-passwd/')]);
    expect(fs.lstatSync(path.join(root, 'lnk')).isFile()).toBe(true);
    expect(fs.readFileSync(path.join(root, 'lnk'), 'utf8')).toBe('replaces the link');
    expect(fs.lstatSync(path.join(root, 'etc-passwd')).isDirectory()).toBe(true);
    expect(fs.readFileSync(path.join(outside, 'victim'), 'utf8')).toBe('untouched');
  });

  it('does not let a whiteout delete through a symlinked parent', async () => {
    await expectRefused([symlink('a', outside), file('a/.wh.victim', '')], 'a/.wh.victim');
  });
});

describe('applyLayer results', () => {
  it('computes the diffID and size of the stream, as sha256sum does', async () => {
    const tarball = await buildTar([dir('./'), file('etc/hosts', '127.0.0.1 localhost\n'), file('big', 'z'.repeat(300_000))]);
    const tarFile = path.join(scratch, 'layer.tar');
    fs.writeFileSync(tarFile, tarball);
    const r = await applyLayer(root, fs.createReadStream(tarFile), { whiteouts: 'delete' });
    const sum = spawnSync('sha256sum', [tarFile], { encoding: 'utf8' }).stdout.split(' ')[0];
    expect(r.diffId).toBe(`sha256:${sum}`);
    expect(r.uncompressedSize).toBe(fs.statSync(tarFile).size);
    expect(fs.statSync(path.join(root, 'big')).size).toBe(300_000);
  });

  it('refuses a truncated tar', async () => {
    const tarball = await buildTar([dir('./'), file('big', 'z'.repeat(50_000))]);
    const err = await applyLayer(root, tarStream(tarball.subarray(0, 10_000)), { whiteouts: 'delete' }).catch((e: unknown) => e);
    expect(isSelkieError(err) && err.kind).toBe('invalid');
    expect((err as Error).message).toMatch(/not a valid tar archive/);
  });

  it('leaves nothing when a truncated tar is given to a driver', async () => {
    const driver = new VfsDriver(path.join(scratch, 'vfs'));
    const tarball = await buildTar([dir('./'), file('a', 'a'), file('big', 'z'.repeat(50_000))]);
    await expect(driver.createLayer('trunc', null, tarStream(tarball.subarray(0, 10_000)))).rejects.toMatchObject({ kind: 'invalid' });
    expect(await driver.layerExists('trunc')).toBe(false);
    expect(fs.readdirSync(driver.home)).toEqual(['dir']);
    expect(fs.readdirSync(path.join(driver.home, 'dir'))).toEqual([]);
  });

  it('refuses entry types it cannot represent', async () => {
    const tarball = await buildTar([file('sparse', 'x')]);
    tarball[156] = 'S'.charCodeAt(0); // GNU sparse type flag; fix the header checksum
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : tarball[i];
    tarball.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
    const err = await applyLayer(root, tarStream(tarball), { whiteouts: 'delete' }).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/"sparse" has an unsupported type/);
  });

  it.skipIf(!which('setfattr') || !which('getfattr'))('keeps binary xattr values exactly (PAX records are not UTF-8)', async () => {
    const src = path.join(scratch, 'src');
    fs.mkdirSync(src);
    fs.writeFileSync(path.join(src, 'ping'), 'ping');
    spawnSync('setfattr', ['-n', 'user.bin', '-v', '0x00ff80fe0102c3', path.join(src, 'ping')]);
    spawnSync('setfattr', ['-n', 'security.capability', '-v', '0x0100000200200000000000000000000000000000', path.join(src, 'ping')]);
    const tarFile = path.join(scratch, 'x.tar');
    const t = spawnSync('tar', ['--xattrs', '--xattrs-include=*', '-C', src, '-cf', tarFile, '.'], { encoding: 'utf8' });
    expect(t.status, t.stderr).toBe(0);
    const r = await applyLayer(root, fs.createReadStream(tarFile), { whiteouts: 'delete' });
    expect(r.warnings ?? []).toEqual([]);
    expect(readXattrs(root).get('ping')?.sort()).toEqual(['security.capability=0100000200200000000000000000000000000000', 'user.bin=00ff80fe0102c3']);
  });
});

describe('applyLayer special files', () => {
  it('creates devices and fifos with owner, mode and time, and hard links to them', async () => {
    await apply([
      dir('dev/'),
      { name: 'dev/null', type: 'character-device', devmajor: 1, devminor: 3, mode: 0o666, mtime: 1_500_000_000 },
      { name: 'dev/sda', type: 'block-device', devmajor: 8, devminor: 0, mode: 0o660, gid: 6 },
      { name: 'dev/fifo', type: 'fifo', mode: 0o4620, uid: 7 },
      hardlink('dev/null2', 'dev/null'),
    ]);
    const st = fs.lstatSync(path.join(root, 'dev/null'));
    expect(st.isCharacterDevice() && st.rdev).toBe(0x103);
    expect(st.mode & 0o7777).toBe(0o666);
    expect(st.mtimeMs).toBe(1_500_000_000_000);
    expect(fs.lstatSync(path.join(root, 'dev/null2')).ino).toBe(st.ino);
    const sda = fs.lstatSync(path.join(root, 'dev/sda'));
    expect([sda.isBlockDevice(), sda.rdev, sda.gid, sda.mode & 0o7777]).toEqual([true, 0x800, 6, 0o660]);
    const fifo = fs.lstatSync(path.join(root, 'dev/fifo'));
    expect([fifo.isFIFO(), fifo.uid, fifo.mode & 0o7777]).toEqual([true, 7, 0o4620]);
  });

  it('sets setuid after the owner, and directory times after their content', async () => {
    await apply([
      dir('bin/', { mtime: 1_400_000_000 }),
      file('bin/su', 'su', { mode: 0o4755, uid: 0, gid: 0 }),
      file('bin/wall', 'wall', { mode: 0o2755, gid: 5 }),
      file('bin/mine', 'mine', { mode: 0o4750, uid: 1000, gid: 1000 }),
      dir('tmp/', { mode: 0o1777 }),
    ]);
    expect(fs.statSync(path.join(root, 'bin/su')).mode & 0o7777).toBe(0o4755);
    const mine = fs.statSync(path.join(root, 'bin/mine'));
    expect([mine.mode & 0o7777, mine.uid, mine.gid]).toEqual([0o4750, 1000, 1000]);
    expect(fs.statSync(path.join(root, 'bin/wall')).mode & 0o7777).toBe(0o2755);
    expect(fs.statSync(path.join(root, 'tmp')).mode & 0o7777).toBe(0o1777);
    expect(fs.statSync(path.join(root, 'bin')).mtimeMs).toBe(1_400_000_000_000);
  });
});

describe('applyLayer failures', () => {
  it('stops reading a large stream as soon as an entry is refused', async () => {
    const tarball = await buildTar([dir('./'), file('ok', 'ok'), symlink('a', outside), file('a/x', 'x'), file('big', 'b'.repeat(8 << 20))]);
    const stream = tarStream(tarball, 16_384);
    const err = await applyLayer(root, stream, { whiteouts: 'delete' }).catch((e: unknown) => e);
    expect(isSelkieError(err) && err.kind).toBe('invalid');
    expect(stream.destroyed).toBe(true);
  }, 10_000);
});
