import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ImageStore } from '../../../src/engine/images/image-store.js';
import { openDatabase, type Database } from '../../../src/engine/state/database.js';
import type { ImageConfig } from '../../../src/engine/types/image.js';

let dir: string;
let db: Database;
let store: ImageStore;

const config = (n: number): ImageConfig => ({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [`sha256:${String(n).repeat(64).slice(0, 64)}`] } });
function addImage(id: string, names: string[], layer: string, parent: string | null = null, created = 1000) {
  store.save(
    { id, topLayer: layer, config: config(1), configRaw: JSON.stringify(config(1)), manifest: null, manifestType: null, digest: `sha256:${'d'.repeat(63)}${id[0]}`, size: 10, created, stored: created },
    { names, layers: [{ id: layer, parent, diffId: `sha256:${layer}`, uncompressedSize: 10, compressedDigest: null, compressedSize: null }] },
  );
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'selkie-store-'));
  db = openDatabase(path.join(dir, 'selkie.db'), { storageDriver: 'vfs' });
  store = new ImageStore(db);
});
afterEach(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('ImageStore', () => {
  const a = 'a'.repeat(64);
  const b = 'ab' + 'c'.repeat(62);

  it('finds by name, full ID, unique prefix and sha256: form', () => {
    addImage(a, ['localhost/one:latest'], 'l1');
    addImage(b, ['localhost/two:latest'], 'l2');
    expect(store.find('x', ['localhost/one:latest'])?.id).toBe(a);
    expect(store.find(b, [])?.id).toBe(b);
    expect(store.find('abc', [])?.id).toBe(b);
    expect(store.find(`sha256:${a}`, [])?.id).toBe(a);
    expect(store.find('ffff', [])).toBeUndefined();
  });

  it('refuses an ambiguous ID prefix', () => {
    addImage(a, [], 'l1');
    addImage(b, [], 'l2');
    expect(() => store.find('a', [])).toThrow(/ambiguous/);
  });

  it('moves a name to the image that takes it', () => {
    addImage(a, ['localhost/x:latest'], 'l1');
    addImage(b, ['localhost/x:latest'], 'l2');
    expect(store.get(a)?.names).toEqual([]);
    expect(store.get(b)?.names).toEqual(['localhost/x:latest']);
  });

  it('matches short names by repository suffix', () => {
    addImage(a, ['registry.example:5000/lib/tool:1'], 'l1');
    expect(store.findBySuffix('tool:1')?.id).toBe(a);
    expect(store.findBySuffix('ool:1')).toBeUndefined();
  });

  it('lists layers no image reaches once an image is deleted, keeping shared ones', () => {
    addImage(a, ['localhost/a:latest'], 'base');
    addImage(b, ['localhost/b:latest'], 'top', 'base');
    store.delete(b);
    expect(store.unreferencedLayers()).toEqual(['top']);
    store.delete(a);
    expect(store.unreferencedLayers().sort()).toEqual(['base', 'top']);
  });

  it('orders unreferenced layers children first, whatever their creation times', () => {
    addImage(a, ['localhost/a:latest'], 'base');
    addImage(b, ['localhost/b:latest'], 'mid', 'base');
    const c = 'c'.repeat(64);
    addImage(c, ['localhost/c:latest'], 'top', 'mid');
    store.delete(a);
    store.delete(b);
    store.delete(c);
    const order = store.unreferencedLayers();
    expect(order).toEqual(['top', 'mid', 'base']);
    for (const l of order) store.deleteLayer(l); // a parent deleted before its child would break the foreign key
    expect(store.unreferencedLayers()).toEqual([]);
  });

  it('cascades names when an image is deleted', () => {
    addImage(a, ['localhost/a:latest', 'localhost/a:v1'], 'l1');
    store.delete(a);
    expect(db.prepare('SELECT count(*) n FROM image_names').get()).toEqual({ n: 0 });
  });
});
