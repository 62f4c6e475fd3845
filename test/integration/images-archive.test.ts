/**
 * save and load: docker-archive and oci-archive, their layout, identity (image ID = config digest,
 * layers = diffIDs) across a round trip, gzip input, stdout output, and refusal of tampered archives.
 */
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureImage } from '../fixtures/index.js';
import { readTar, writeTar } from '../helpers/read-tar.js';
import { busyboxTar, makeSelkieEnv, selkieBin, type SelkieEnv } from '../helpers/selkie-cli.js';

const sha = (b: Buffer | string): string => `sha256:${crypto.createHash('sha256').update(b).digest('hex')}`;

let s: SelkieEnv;
let fresh: SelkieEnv;
let work: string;
let id = '';
let layersId = '';

beforeAll(async () => {
  s = makeSelkieEnv();
  fresh = makeSelkieEnv({ storageDriver: 'vfs' });
  work = fs.mkdtempSync('/var/tmp/selkie-archive-');
  const r = await s.run(['import', '-', 'localhost/busybox'], { input: await busyboxTar() });
  expect(r.code).toBe(0);
  id = r.stdout.trim().slice(7);
  // The layers fixture (4 layers: whiteouts, opaque dirs, hard links, long names) as an oci-archive.
  const fixture = await ensureImage('layers');
  const archive = path.join(work, 'layers-oci.tar');
  expect(spawnSync('tar', ['-C', fixture.layout, '-cf', archive, 'oci-layout', 'index.json', 'blobs']).status).toBe(0);
  const l = await s.run(['load', '-i', archive]);
  expect(l.stderr).toBe('');
  expect(l.stdout).toMatch(/^Loaded image ID: sha256:[0-9a-f]{64}\n$/);
  layersId = l.stdout.trim().split('sha256:')[1]!;
  expect((await s.run(['tag', layersId, 'localhost/layers:v1'])).code).toBe(0);
}, 120_000);

afterAll(async () => {
  await s.cleanup();
  await fresh.cleanup();
  fs.rmSync(work, { recursive: true, force: true });
});

describe('save', () => {
  it('writes a docker-archive: config named by the image ID, layers by diffID, manifest.json', async () => {
    const file = path.join(work, 'bb.tar');
    const r = await s.run(['save', '-o', file, 'busybox']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const m = await readTar(file);
    const manifest = JSON.parse(m.get('manifest.json')!.data.toString()) as Array<{ Config: string; RepoTags: string[]; Layers: string[] }>;
    expect(manifest).toEqual([{ Config: `${id}.json`, RepoTags: ['localhost/busybox:latest'], Layers: [expect.stringMatching(/^[0-9a-f]{64}\.tar$/)] }]);
    const config = m.get(`${id}.json`)!.data;
    expect(sha(config)).toBe(`sha256:${id}`);
    const diffIds = (JSON.parse(config.toString()) as { rootfs: { diff_ids: string[] } }).rootfs.diff_ids;
    expect(diffIds).toEqual([`sha256:${manifest[0]!.Layers[0]!.slice(0, 64)}`]);
    expect(sha(m.get(manifest[0]!.Layers[0]!)!.data)).toBe(diffIds[0]);
  });

  it('writes a multi-layer image whose layers reproduce their diffIDs exactly', async () => {
    const file = path.join(work, 'layers.tar');
    expect((await s.run(['save', '-o', file, 'localhost/layers:v1'])).code).toBe(0);
    const m = await readTar(file);
    const manifest = JSON.parse(m.get('manifest.json')!.data.toString()) as Array<{ Config: string; Layers: string[] }>;
    const config = JSON.parse(m.get(manifest[0]!.Config)!.data.toString()) as { rootfs: { diff_ids: string[] } };
    expect(config.rootfs.diff_ids).toHaveLength(4);
    expect(manifest[0]!.Layers.map((l) => sha(m.get(l)!.data))).toEqual(config.rootfs.diff_ids);
  });

  it('writes an oci-archive: oci-layout, index.json with the name, uncompressed layer blobs', async () => {
    const file = path.join(work, 'bb-oci.tar');
    expect((await s.run(['save', '--format', 'oci-archive', '-o', file, 'busybox'])).code).toBe(0);
    const m = await readTar(file);
    expect(JSON.parse(m.get('oci-layout')!.data.toString())).toEqual({ imageLayoutVersion: '1.0.0' });
    const index = JSON.parse(m.get('index.json')!.data.toString()) as { manifests: Array<{ digest: string; annotations: Record<string, string> }> };
    expect(index.manifests).toHaveLength(1);
    expect(index.manifests[0]!.annotations['org.opencontainers.image.ref.name']).toBe('localhost/busybox:latest');
    const manifestBlob = m.get(`blobs/sha256/${index.manifests[0]!.digest.slice(7)}`)!.data;
    expect(sha(manifestBlob)).toBe(index.manifests[0]!.digest);
    const manifest = JSON.parse(manifestBlob.toString()) as { config: { digest: string }; layers: Array<{ digest: string; size: number }> };
    expect(manifest.config.digest).toBe(`sha256:${id}`);
    for (const l of manifest.layers) {
      const blob = m.get(`blobs/sha256/${l.digest.slice(7)}`)!.data;
      expect([sha(blob), blob.length]).toEqual([l.digest, l.size]);
    }
  });

  it('streams to stdout when it is not a terminal', () => {
    const r = spawnSync(selkieBin, [...s.flags, 'save', 'busybox'], { maxBuffer: 64 << 20 });
    expect(r.status).toBe(0);
    expect(r.stdout.length).toBeGreaterThan(2_000_000);
    expect(r.stdout.subarray(257, 262).toString()).toBe('ustar');
  });

  it('saves several images into one docker-archive, sharing nothing twice', async () => {
    const file = path.join(work, 'two.tar');
    expect((await s.run(['save', '-o', file, 'busybox', 'localhost/layers:v1', id.slice(0, 12)])).code).toBe(0);
    const m = await readTar(file);
    const manifest = JSON.parse(m.get('manifest.json')!.data.toString()) as Array<{ Config: string; RepoTags: string[] | null }>;
    expect(manifest.map((e) => [e.Config, e.RepoTags])).toEqual([
      [`${id}.json`, ['localhost/busybox:latest']],
      [`${layersId}.json`, ['localhost/layers:v1']],
    ]);
    expect([...m.keys()].filter((k) => k.endsWith('.tar'))).toHaveLength(5);
    const other = makeSelkieEnv({ storageDriver: 'vfs' });
    try {
      const r = await other.run(['load', '-i', file]);
      expect(r.stdout).toBe('Loaded image: localhost/busybox:latest\nLoaded image: localhost/layers:v1\n');
    } finally {
      await other.cleanup();
    }
  });

  it('fails, leaving no file, when a layer cannot be rebuilt exactly', async () => {
    const own = makeSelkieEnv({ storageDriver: 'vfs' });
    try {
      expect((await own.run(['import', '-', 'localhost/victim'], { input: await busyboxTar() })).code).toBe(0);
      const records = path.join(own.root, 'vfs', 'tar-split');
      for (const f of fs.readdirSync(records)) fs.rmSync(path.join(records, f));
      const file = path.join(work, 'victim.tar');
      const r = await own.run(['save', '-o', file, 'localhost/victim']);
      expect(r.code).toBe(125);
      expect(r.stderr).toMatch(/was stored without the record needed to export it: remove the image and pull or import it again/);
      expect(fs.existsSync(file)).toBe(false);
      expect(fs.readdirSync(work).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    } finally {
      await own.cleanup();
    }
  });

  it('refuses unknown images and formats without leaving a file', async () => {
    const file = path.join(work, 'none.tar');
    const r = await s.run(['save', '-o', file, 'nosuchimage']);
    expect(r.code).toBe(125);
    expect(r.stderr).toMatch(/nosuchimage.*not found/);
    expect(fs.existsSync(file)).toBe(false);
    expect((await s.run(['save', '--format', 'zip', '-o', file, 'busybox'])).stderr).toMatch(/unknown format "zip"/);
    expect(fs.readdirSync(work).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('load', () => {
  it('loads a docker-archive into another store with the same ID and name, and runs it', async () => {
    const r = await fresh.run(['load', '-i', path.join(work, 'bb.tar')]);
    expect(r).toMatchObject({ code: 0, stdout: 'Loaded image: localhost/busybox:latest\n' });
    expect((await fresh.run(['images', '-q', '--no-trunc', 'busybox'])).stdout).toBe(`sha256:${id}\n`);
    expect((await fresh.run(['run', '--rm', 'busybox', 'echo', 'loaded'])).stdout).toBe('loaded\n');
  });

  it('loads the multi-layer image (vfs) and saves it again byte-identical', async () => {
    const r = await fresh.run(['load', '-i', path.join(work, 'layers.tar')]);
    expect(r.stdout).toBe('Loaded image: localhost/layers:v1\n');
    expect((await fresh.run(['images', '-q', '--no-trunc', 'localhost/layers:v1'])).stdout).toBe(`sha256:${layersId}\n`);
    const again = path.join(work, 'layers-again.tar');
    expect((await fresh.run(['save', '-o', again, 'localhost/layers:v1'])).code).toBe(0);
    expect(sha(fs.readFileSync(again))).toBe(sha(fs.readFileSync(path.join(work, 'layers.tar'))));
  });

  it('loads an oci-archive from stdin, gzip-compressed', async () => {
    expect((await fresh.run(['rmi', 'busybox'])).code).toBe(0);
    const gz = zlib.gzipSync(fs.readFileSync(path.join(work, 'bb-oci.tar')));
    const r = await fresh.run(['load'], { input: gz });
    expect(r).toMatchObject({ code: 0, stdout: 'Loaded image: localhost/busybox:latest\n' });
    expect((await fresh.run(['image', 'inspect', '--format', '{{.Id}}', 'busybox'])).stdout).toBe(`sha256:${id}\n`);
    expect((await fresh.run(['load', '-q', '-i', path.join(work, 'bb.tar')])).stdout).toBe('');
  });

  it('refuses a config that does not match its digest, and a layer that does not match its diffID', async () => {
    const m = await readTar(path.join(work, 'bb.tar'));
    const cfgName = `${id}.json`;
    const bad = new Map(m);
    bad.set(cfgName, { type: 'file', data: Buffer.from(m.get(cfgName)!.data.toString().replace('"amd64"', '"arm64"').replace('"x86_64"', '"arm64"') + ' ') });
    const file = path.join(work, 'bad-config.tar');
    fs.writeFileSync(file, await writeTar(bad));
    const r = await fresh.run(['load', '-i', file]);
    expect(r.code).toBe(125);
    expect(r.stderr).toMatch(/does not match its digest/);

    const manifest = JSON.parse(m.get('manifest.json')!.data.toString()) as Array<{ Layers: string[] }>;
    const layerName = manifest[0]!.Layers[0]!;
    const badLayer = new Map(m);
    const other = await readTar(path.join(work, 'layers.tar'));
    const otherManifest = JSON.parse(other.get('manifest.json')!.data.toString()) as Array<{ Layers: string[] }>;
    badLayer.set(layerName, other.get(otherManifest[0]!.Layers[3]!)!);
    const file2 = path.join(work, 'bad-layer.tar');
    fs.writeFileSync(file2, await writeTar(badLayer));
    const empty = makeSelkieEnv({ storageDriver: 'vfs' });
    try {
      const r2 = await empty.run(['load', '-i', file2]);
      expect(r2.code).toBe(125);
      expect(r2.stderr).toMatch(/layer 1 of the archive has digest sha256:[0-9a-f]+, but the image config says/);
      expect((await empty.run(['images', '-q'])).stdout).toBe('');
    } finally {
      await empty.cleanup();
    }
  });

  it('reads legacy layer directories (layer.tar links) of a docker-archive', async () => {
    const m = await readTar(path.join(work, 'bb.tar'));
    const manifest = JSON.parse(m.get('manifest.json')!.data.toString()) as Array<{ Config: string; RepoTags: string[]; Layers: string[] }>;
    const layer = manifest[0]!.Layers[0]!;
    const legacy = new Map(m);
    legacy.set('abc123/', { type: 'directory', data: Buffer.alloc(0) });
    legacy.set('abc123/layer.tar', { type: 'symlink', data: Buffer.alloc(0), linkname: `../${layer}` });
    legacy.set('manifest.json', { type: 'file', data: Buffer.from(JSON.stringify([{ ...manifest[0], RepoTags: ['legacy:v1'], Layers: ['abc123/layer.tar'] }])) });
    const file = path.join(work, 'legacy.tar');
    fs.writeFileSync(file, await writeTar(legacy));
    const r = await fresh.run(['load', '-i', file]);
    expect(r).toMatchObject({ code: 0, stdout: 'Loaded image: docker.io/library/legacy:v1\n' });
  });

  it("takes the host's platform from an image index in an oci-archive", async () => {
    const fixture = await ensureImage('multiarch');
    const archive = path.join(work, 'multiarch-oci.tar');
    expect(spawnSync('tar', ['-C', fixture.layout, '-cf', archive, 'oci-layout', 'index.json', 'blobs']).status).toBe(0);
    const r = await fresh.run(['load', '-i', archive]);
    expect(r.code, r.stderr).toBe(0);
    const loadedId = r.stdout.trim().split('sha256:')[1]!;
    const arch = (await fresh.run(['image', 'inspect', '--format', '{{.Architecture}}', loadedId])).stdout.trim();
    expect(arch).toBe(process.arch === 'x64' ? 'amd64' : process.arch);
  });

  it('refuses input that is not an image archive', async () => {
    const r = await fresh.run(['load'], { input: await busyboxTar() });
    expect(r.code).toBe(125);
    expect(r.stderr).toMatch(/not an image archive/);
  });
});
