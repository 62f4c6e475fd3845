/** A pulled image saves with its registry layers' exact bytes: the archive's layers hash to the config's diffIDs. */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useFixtures } from '../fixtures/inject.js';
import { readTar } from '../helpers/read-tar.js';
import { makePullEnv, type PullEnv } from './registry/pull-helpers.js';

const fx = useFixtures();
const { tls } = fx.registries;
const sha = (b: Buffer): string => `sha256:${crypto.createHash('sha256').update(b).digest('hex')}`;

let s: PullEnv;
beforeAll(() => {
  s = makePullEnv();
});
afterAll(async () => s.cleanup());

describe('save of a pulled image', () => {
  it('writes every layer byte-identical to what the registry served', async () => {
    const ref = `${tls.host}/layers:latest`;
    const pulled = await s.sk(['pull', '-q', '--tls-verify=false', ref]);
    expect(pulled.code, pulled.stderr).toBe(0);
    const file = path.join(path.dirname(s.root), 'pulled.tar');
    const r = await s.sk(['save', '-o', file, ref]);
    expect(r.stderr).toBe('');
    const m = await readTar(file);
    const manifest = JSON.parse(m.get('manifest.json')!.data.toString()) as Array<{ Config: string; RepoTags: string[]; Layers: string[] }>;
    expect(manifest[0]!.RepoTags).toEqual([ref]);
    const config = JSON.parse(m.get(manifest[0]!.Config)!.data.toString()) as { rootfs: { diff_ids: string[] } };
    expect(manifest[0]!.Layers.map((l) => sha(m.get(l)!.data))).toEqual(config.rootfs.diff_ids);
    expect(`sha256:${manifest[0]!.Config.slice(0, 64)}`).toBe(sha(m.get(manifest[0]!.Config)!.data));
    fs.rmSync(file);
  });
});
