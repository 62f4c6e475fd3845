/**
 * `image copy` between the plain registry, another repository of it, an OCI layout directory and the
 * basic registry, checked with skopeo; local storage stays empty.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useFixtures } from '../../fixtures/inject.js';
import { skopeo } from '../../fixtures/skopeo.js';
import { makePullEnv, type PullEnv } from './pull-helpers.js';

const { plain, basic } = useFixtures().registries;

let s: PullEnv;
let work: string;
beforeAll(() => {
  s = makePullEnv();
  work = path.join(path.dirname(s.root), 'work');
  fs.mkdirSync(work);
});
afterAll(async () => s.cleanup());

interface Inspect {
  Digest: string;
  Layers: string[];
}
const inspect = async (ref: string, extra: string[] = []): Promise<Inspect> =>
  JSON.parse((await skopeo(['inspect', ...extra, ref])).stdout) as Inspect;

describe('image copy', () => {
  let source: Inspect;
  let ociDigest = '';
  const layout = () => path.join(work, 'layout');

  it('registry → another repository of it: blobs mounted, manifest digest kept', async () => {
    source = await inspect(`docker://${plain.host}/busybox:latest`, ['--tls-verify=false']);
    const r = await s.sk([
      '--log-level=debug', 'image', 'copy', '--src-tls-verify=false', '--dest-tls-verify=false',
      `docker://${plain.host}/busybox:latest`, `docker://${plain.host}/copied/busybox:1`,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/POST [^ ]+\/v2\/copied\/busybox\/blobs\/uploads\/\?mount=sha256%3A[0-9a-f]{64}&from=busybox → 201/);
    expect(r.stderr).not.toMatch(/PUT [^ ]+\/blobs\/uploads\//);
    const copied = await inspect(`docker://${plain.host}/copied/busybox:1`, ['--tls-verify=false']);
    expect(copied.Digest).toBe(source.Digest);
    expect(copied.Layers).toEqual(source.Layers);
  });

  it('registry → oci: layout directory (schema2 converted to OCI), readable by skopeo', async () => {
    const r = await s.sk(['image', 'copy', '-q', '--src-tls-verify=false', '--digestfile', path.join(work, 'd'), `docker://${plain.host}/busybox:latest`, `oci:${layout()}:bb`]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const o = await inspect(`oci:${layout()}:bb`);
    ociDigest = fs.readFileSync(path.join(work, 'd'), 'utf8');
    expect(o.Digest).toBe(ociDigest);
    expect(o.Layers).toEqual(source.Layers);
    const raw = JSON.parse((await skopeo(['inspect', '--raw', `oci:${layout()}:bb`])).stdout) as { mediaType: string; layers: { mediaType: string }[] };
    expect(raw.mediaType).toBe('application/vnd.oci.image.manifest.v1+json');
    expect(raw.layers.every((l) => l.mediaType === 'application/vnd.oci.image.layer.v1.tar+gzip')).toBe(true);
    await skopeo(['copy', `oci:${layout()}:bb`, `oci:${path.join(work, 'check')}:x`]);
  });

  it('oci: → registry uploads every blob; a second copy skips them', async () => {
    const r = await s.sk(['--log-level=debug', 'image', 'copy', '--dest-tls-verify=false', `oci:${layout()}:bb`, `docker://${plain.host}/fromoci/busybox:2`]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/\nCopying blob sha256:[0-9a-f]{64}\n/);
    expect(r.stderr).toMatch(/PUT [^ ]+\/v2\/fromoci\/busybox\/blobs\/uploads\/[^ ]*digest=sha256%3A[0-9a-f]{64} → 201/);
    expect((await inspect(`docker://${plain.host}/fromoci/busybox:2`, ['--tls-verify=false'])).Digest).toBe(ociDigest);
    const again = await s.sk(['--log-level=debug', 'image', 'copy', '--dest-tls-verify=false', `oci:${layout()}:bb`, `docker://${plain.host}/fromoci/busybox:3`]);
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/HEAD [^ ]+\/v2\/fromoci\/busybox\/blobs\/sha256:[0-9a-f]{64} → 200/);
    expect(again.stderr).not.toMatch(/POST [^ ]+\/blobs\/uploads\//);
  });

  it('registry → another registry with --dest-creds; without them the error says to log in', async () => {
    const args = ['image', 'copy', '-q', '--src-tls-verify=false', '--dest-tls-verify=false', `docker://${plain.host}/busybox:latest`, `docker://${basic.host}/copied/busybox:1`];
    const denied = await s.sk(args);
    expect(denied.code).toBe(125);
    expect(denied.stderr).toMatch(new RegExp(`authentication required for ${basic.host}`));
    const ok = await s.sk([...args.slice(0, 3), '--dest-creds', `${basic.username}:${basic.password}`, ...args.slice(3)]);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    const copied = await inspect(`docker://${basic.host}/copied/busybox:1`, ['--tls-verify=false', '--creds', `${basic.username}:${basic.password}`]);
    expect(copied.Digest).toBe(source.Digest);
  });

  it('stores nothing locally; other transports are refused', async () => {
    expect(await s.imageIds()).toEqual([]);
    const r = await s.sk(['image', 'copy', `docker://${plain.host}/busybox:latest`, `dir:${work}/d`]);
    expect(r.code).toBe(125);
    expect(r.stderr).toMatch(/unsupported image location "dir:.*": use docker:\/\/HOST\/REPOSITORY\[:TAG\] or oci:PATH\[:TAG\]/);
  });
});
