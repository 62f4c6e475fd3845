import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useFixtures } from '../../fixtures/inject.js';
import { skopeo } from '../../fixtures/skopeo.js';
import { fetchTokenStats } from '../../fixtures/registry.js';
import { busyboxTar } from '../../helpers/selkie-cli.js';
import { makePullEnv, type PullEnv } from './pull-helpers.js';

const fx = useFixtures();
const { plain, basic, token } = fx.registries;

let s: PullEnv;
let work: string;
let imageId = '';
let diffId = '';
beforeAll(async () => {
  s = makePullEnv();
  work = path.join(path.dirname(s.root), 'work');
  fs.mkdirSync(work);
  fs.writeFileSync(path.join(work, 'busybox.tar'), await busyboxTar());
  const r = await s.sk(['import', '--change', 'CMD ["sh"]', path.join(work, 'busybox.tar'), 'localhost/pushbox:1']);
  expect(r.code).toBe(0);
  imageId = r.stdout.trim().replace(/^sha256:/, '');
  diffId = (JSON.parse((await s.sk(['image', 'inspect', imageId])).stdout) as { RootFS: { Layers: string[] } }[])[0]!.RootFS.Layers[0]!;
}, 120_000);
afterAll(async () => s.cleanup());

const sha256 = (file: string) => `sha256:${crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex')}`;

/** skopeo copy to an OCI layout; returns its manifest (and checks every blob's digest). */
async function copyToLayout(ref: string, dir: string, extra: string[] = []): Promise<{ mediaType: string; config: { digest: string; mediaType: string }; layers: { digest: string; mediaType: string }[] }> {
  await skopeo(['copy', '--src-tls-verify=false', ...extra, `docker://${ref}`, `oci:${dir}:t`]);
  const index = JSON.parse(fs.readFileSync(path.join(dir, 'index.json'), 'utf8')) as { manifests: { digest: string }[] };
  const blob = (d: string) => path.join(dir, 'blobs', 'sha256', d.slice(7));
  const manifest = JSON.parse(fs.readFileSync(blob(index.manifests[0]!.digest), 'utf8'));
  for (const d of [manifest.config.digest, ...manifest.layers.map((l: { digest: string }) => l.digest)]) expect(sha256(blob(d))).toBe(d);
  return manifest;
}

describe('push to the plain registry', () => {
  it('pushes an imported image as OCI; skopeo reads back the same config and layer', async () => {
    const dest = `${plain.host}/pushed/busybox:oci`;
    const r = await s.sk(['push', '--tls-verify=false', '--digestfile', path.join(work, 'digest'), 'localhost/pushbox:1', `docker://${dest}`]);
    // stderr is not a terminal: podman's plain lines.
    expect(r.stderr).toMatch(/^Getting image source signatures\nCopying blob sha256:[0-9a-f]{64}\nCopying config sha256:[0-9a-f]{64}\nWriting manifest to image destination\nStoring signatures\n$/);
    expect(r.code).toBe(0);
    const digest = fs.readFileSync(path.join(work, 'digest'), 'utf8');
    const inspect = JSON.parse((await skopeo(['inspect', '--tls-verify=false', `docker://${dest}`])).stdout) as { Digest: string; Layers: string[] };
    expect(inspect.Digest).toBe(digest);
    const m = await copyToLayout(dest, path.join(work, 'oci1'));
    expect(m.mediaType).toBe('application/vnd.oci.image.manifest.v1+json');
    expect(m.config).toMatchObject({ mediaType: 'application/vnd.oci.image.config.v1+json', digest: `sha256:${imageId}` });
    expect(m.layers.map((l) => l.mediaType)).toEqual(['application/vnd.oci.image.layer.v1.tar+gzip']);
    const raw = JSON.parse((await skopeo(['inspect', '--tls-verify=false', '--config', `docker://${dest}`])).stdout) as { rootfs: { diff_ids: string[] } };
    expect(raw.rootfs.diff_ids).toEqual([diffId]);
    const repoDigests = (JSON.parse((await s.sk(['image', 'inspect', imageId])).stdout) as { RepoDigests: string[] }[])[0]!.RepoDigests;
    expect(repoDigests).toContain(`${plain.host}/pushed/busybox@${digest}`);
  });

  it('--format v2s2 writes a Docker schema2 manifest; blobs already there are skipped', async () => {
    const dest = `${plain.host}/pushed/busybox:v2s2`;
    const r = await s.sk(['--log-level=debug', 'push', '--tls-verify=false', '--format', 'v2s2', 'localhost/pushbox:1', dest]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/HEAD [^ ]+\/v2\/pushed\/busybox\/blobs\/sha256:[0-9a-f]{64} → 200/);
    expect(r.stderr).not.toMatch(/POST [^ ]+\/blobs\/uploads\//);
    const m = await copyToLayout(dest, path.join(work, 'oci2'), ['--preserve-digests']);
    expect(m.mediaType).toBe('application/vnd.docker.distribution.manifest.v2+json');
    expect(m.config.mediaType).toBe('application/vnd.docker.container.image.v1+json');
    expect(m.layers.map((l) => l.mediaType)).toEqual(['application/vnd.docker.image.rootfs.diff.tar.gzip']);
  });

  it('selkie pulls back what it pushed, with the same image ID', async () => {
    const other = makePullEnv();
    try {
      const p = await other.sk(['pull', '-q', '--tls-verify=false', `${plain.host}/pushed/busybox:oci`]);
      expect(p.code).toBe(0);
      expect(p.stdout.trim()).toBe(imageId);
      const run = await other.sk(['run', '--rm', `${plain.host}/pushed/busybox:oci`, 'echo', 'pushed']);
      expect(run.stdout).toBe('pushed\n');
    } finally {
      await other.cleanup();
    }
  });

  it('mounts layers from the repository a pulled image came from', async () => {
    const src = `${plain.host}/busybox:latest`;
    expect((await s.sk(['pull', '-q', '--tls-verify=false', src])).code).toBe(0);
    const r = await s.sk(['--log-level=debug', 'push', '--tls-verify=false', src, `${plain.host}/mounted/busybox:1`]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/\nCopying blob sha256:[0-9a-f]{64}\n/);
    expect(r.stderr).toMatch(/POST http:\/\/[^ ]+\/v2\/mounted\/busybox\/blobs\/uploads\/\?mount=sha256%3A[0-9a-f]{64}&from=busybox → 201/);
    await skopeo(['inspect', '--tls-verify=false', `docker://${plain.host}/mounted/busybox:1`]);
  });

  it('push without a destination goes to the name; a local-only name is refused', async () => {
    expect((await s.sk(['tag', 'localhost/pushbox:1', `${plain.host}/named/box:2`])).code).toBe(0);
    const r = await s.sk(['push', '-q', '--tls-verify=false', `${plain.host}/named/box:2`]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    await skopeo(['inspect', '--tls-verify=false', `docker://${plain.host}/named/box:2`]);
    const l = await s.sk(['push', 'localhost/pushbox:1']);
    expect(l.code).toBe(125);
    expect(l.stderr).toMatch(/localhost\/pushbox:1 is a local name, not a registry/);
  });
});

describe('push with authentication', () => {
  it('basic: refused without credentials, accepted with --creds', async () => {
    const dest = `${basic.host}/pushed/box:1`;
    const r = await s.sk(['push', '-q', '--tls-verify=false', 'localhost/pushbox:1', dest]);
    expect(r.code).toBe(125);
    expect(r.stderr).toMatch(new RegExp(`^Error: authentication required to push to ${basic.host}/pushed/box: run selkie login ${basic.host}`));
    const ok = await s.sk(['push', '-q', '--tls-verify=false', '--creds', `${basic.username}:${basic.password}`, 'localhost/pushbox:1', dest]);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    await skopeo(['inspect', '--tls-verify=false', '--creds', `${basic.username}:${basic.password}`, `docker://${dest}`]);
  });

  it('token: anonymous push refused, with credentials it pushes (push,pull scope)', async () => {
    const dest = `${token.host}/pushed/box:1`;
    const r = await s.sk(['push', '-q', '--tls-verify=false', 'localhost/pushbox:1', dest]);
    expect(r.code).toBe(125);
    expect(r.stderr).toMatch(new RegExp(`^Error: authentication required to push to ${token.host}/pushed/box`));
    const before = (await fetchTokenStats(token)).log.length;
    const ok = await s.sk(['push', '-q', '--tls-verify=false', '--creds', `${token.username}:${token.password}`, 'localhost/pushbox:1', dest]);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    const asked = (await fetchTokenStats(token)).log.slice(before);
    expect(asked.length).toBeGreaterThan(0);
    for (const t of asked) expect(t).toMatchObject({ account: token.username, scopes: ['repository:pushed/box:pull,push'], granted: ['repository:pushed/box:pull,push'] });
    await skopeo(['inspect', '--tls-verify=false', '--creds', `${token.username}:${token.password}`, `docker://${dest}`]);
  });
});
