/**
 * A pull applies two layers at once in worker threads (images/pull-apply-worker.ts): a layer that
 * needs the one below it (a hard link to a lower file, parent directories its tar does not list, a
 * root it does not list) asks the main thread, which answers once the lower layer is complete.
 * The image here makes the upper layer wait: its base layer has many files, the upper one few.
 * The result must be what the same pull gives without workers (SELKIE_LAYER_WORKERS=0).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useFixtures } from '../../fixtures/inject.js';
import { AMD64, MEDIA_TYPES } from '../../fixtures/images/fixture-image.js';
import { writeImage, writeLayoutIndex } from '../../fixtures/images/oci-layout.js';
import { dir, file, hardlink, type TarEntry, writeLayer } from '../../fixtures/images/tar-layer.js';
import { skopeo, skopeoRegistryArgs } from '../../fixtures/skopeo.js';
import { makePullEnv, type PullEnv } from './pull-helpers.js';

const fx = useFixtures();
const reg = fx.registries.plain;
const ref = `${reg.host}/pull-concurrent-layers:latest`;

let layout: string;
const envs: PullEnv[] = [];

beforeAll(async () => {
  layout = fs.mkdtempSync(path.join(os.tmpdir(), 'selkie-concurrent-layers-'));
  const base: TarEntry[] = [
    dir('.', 0o711),
    dir('owned', 0o750, 1234, 4321),
    dir('owned/deep', 0o705, 77, 88),
    file('owned/deep/orig', 'a file of the lower layer\n', 0o600, 5, 6),
    dir('bulk'),
  ];
  for (let i = 0; i < 1500; i++) base.push(file(`bulk/f${i}`, `file ${i}\n`.repeat(50)));
  // No './', no 'owned' or 'owned/deep': they come from the layer below.
  const upper: TarEntry[] = [file('owned/deep/new', 'upper\n'), hardlink('owned/deep/link-to-lower', 'owned/deep/orig', 0o600)];
  const layers = [await writeLayer(layout, base), await writeLayer(layout, upper)];
  const m = writeImage(layout, { platform: AMD64, layers, history: ['base', 'upper'], config: { Cmd: ['sh'] } });
  writeLayoutIndex(layout, { mediaType: MEDIA_TYPES.ociManifest, digest: m.digest, size: m.size });
  await skopeo(['copy', ...skopeoRegistryArgs(reg, 'dest'), `oci:${layout}:latest`, `docker://${ref}`]);
}, 120_000);

afterAll(async () => {
  for (const e of envs) await e.cleanup();
  fs.rmSync(layout, { recursive: true, force: true });
});

/** owner, mode and link count of the upper layer's paths, from its diff directory. */
function upperLayerView(s: PullEnv): string[] {
  for (const id of s.layerDirs()) {
    const diff = path.join(s.root, 'overlay', id, 'diff');
    if (!fs.existsSync(path.join(diff, 'owned/deep/new'))) continue;
    return ['.', 'owned', 'owned/deep', 'owned/deep/new', 'owned/deep/link-to-lower'].map((p) => {
      const st = fs.lstatSync(path.join(diff, p));
      return `${p} ${st.uid}:${st.gid} ${(st.mode & 0o7777).toString(8)} ${st.nlink} ${st.isFile() ? fs.readFileSync(path.join(diff, p), 'utf8').trim() : ''}`;
    });
  }
  throw new Error('no layer has owned/deep/new');
}

describe('layers applied at once', () => {
  it('take what they need from the layer below once it is complete, as without workers', async () => {
    const views: string[][] = [];
    for (const workers of ['1', '0']) {
      const s = makePullEnv();
      envs.push(s);
      const r = await s.sk(['pull', '-q', '--tls-verify=false', ref], { env: { SELKIE_LAYER_WORKERS: workers }, timeoutMs: 120_000 });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(s.layerDirs()).toHaveLength(2);
      views.push(upperLayerView(s));
    }
    expect(views[0]).toEqual([
      '. 0:0 711 3 ',
      'owned 1234:4321 750 3 ',
      'owned/deep 77:88 705 2 ',
      'owned/deep/new 0:0 644 1 upper',
      'owned/deep/link-to-lower 5:6 600 2 a file of the lower layer',
    ]);
    expect(views[1]).toEqual(views[0]);
  }, 240_000);
});
