import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useFixtures } from '../../fixtures/inject.js';
import { skopeo, skopeoRegistryArgs } from '../../fixtures/skopeo.js';
import { makePullEnv, requestLines, type PullEnv } from './pull-helpers.js';

const fx = useFixtures();
const plain = fx.registries.plain;
const P = plain.host;

let s: PullEnv;
beforeAll(() => {
  s = makePullEnv();
});
afterAll(async () => s.cleanup());

describe('pull from the plain registry', () => {
  it('pulls busybox:latest (Docker schema2); with -q prints only the image ID', async () => {
    const r = await s.sk(['pull', '-q', '--tls-verify=false', `${P}/busybox:latest`]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^[0-9a-f]{64}\n$/);
    const id = r.stdout.trim();
    expect(id).toBe(fx.images.busybox.manifests[0]!.config.digest.slice(7));
    const inspect = JSON.parse((await s.sk(['image', 'inspect', `${P}/busybox:latest`])).stdout)[0];
    expect(inspect.RepoTags).toEqual([`${P}/busybox:latest`]);
    expect(inspect.RepoDigests).toEqual([`${P}/busybox@${plain.images['busybox:latest']!.digest}`]);
    expect(inspect.ManifestType).toBe('application/vnd.docker.distribution.manifest.v2+json');
    expect((await s.sk(['run', '--rm', `${P}/busybox`, 'echo', 'pulled'])).stdout).toBe('pulled\n');
  });

  it('re-pulling a present image makes one manifest request (a HEAD: the digest says it is here) and nothing else', async () => {
    const r = await s.sk(['--log-level', 'debug', 'pull', '--tls-verify=false', `${P}/busybox:latest`]);
    expect(r.code).toBe(0);
    const reqs = requestLines(r.stderr);
    expect(reqs).toHaveLength(1);
    expect(reqs[0]).toMatch(/HEAD http:\/\/.*\/v2\/busybox\/manifests\/latest → 200/);
    expect(r.stderr).toMatch(/Copying blob sha256:/);
  });

  it('a stored tag that now names another manifest is pulled the full way (GET), and re-tagged', async () => {
    const own = makePullEnv(); // busybox:oci is the same image under another manifest: kept out of the shared store
    try {
      expect((await own.sk(['pull', '-q', '--tls-verify=false', `${P}/busybox:latest`])).code).toBe(0);
      expect((await own.sk(['tag', `${P}/busybox:latest`, `${P}/busybox:oci`])).code).toBe(0);
      const r = await own.sk(['--log-level', 'debug', 'pull', '--tls-verify=false', `${P}/busybox:oci`]);
      expect(r.code).toBe(0);
      const reqs = requestLines(r.stderr);
      expect(reqs[0]).toMatch(/HEAD .*\/manifests\/oci → 200/);
      expect(reqs.some((l) => /GET .*\/manifests\/oci → 200/.test(l))).toBe(true);
      const inspect = JSON.parse((await own.sk(['image', 'inspect', `${P}/busybox:oci`])).stdout)[0];
      expect(inspect.RepoDigests).toContain(`${P}/busybox@${plain.images['busybox:oci']!.digest}`);
    } finally {
      await own.cleanup();
    }
  });

  it('an insecure registry that answered on plain http is asked on http first next time, and no longer when it turns to https', async () => {
    const memory = path.join(s.runroot, 'registry-schemes.json');
    fs.rmSync(memory, { force: true });
    const first = await s.sk(['--log-level', 'debug', 'pull', '--tls-verify=false', `${P}/busybox:latest`]);
    expect(first.code).toBe(0);
    expect(first.stderr).toContain(`https to ${P} failed`);
    expect(JSON.parse(fs.readFileSync(memory, 'utf8'))).toEqual({ [P]: 'http' });
    const second = await s.sk(['--log-level', 'debug', 'pull', '--tls-verify=false', `${P}/busybox:latest`]);
    expect(second.code).toBe(0);
    expect(second.stderr).not.toContain('https to');
    expect(requestLines(second.stderr)).toHaveLength(1);
    // A registry remembered as plain http that now speaks TLS: its 400 answer to plain http is not
    // taken for the registry's; https is tried and the wrong memory dropped.
    const tls = fx.registries.tls.host;
    fs.writeFileSync(memory, JSON.stringify({ [P]: 'http', [tls]: 'http' }));
    const turned = await s.sk(['--log-level', 'debug', 'pull', '-q', '--tls-verify=false', `${tls}/busybox:latest`]);
    expect(turned.stderr).toContain(`${tls} no longer answers plain http`);
    expect(turned.code).toBe(0);
    expect(JSON.parse(fs.readFileSync(memory, 'utf8'))).toEqual({ [P]: 'http' });
  });

  it('pulls the OCI form, -q prints the ID', async () => {
    const r = await s.sk(['pull', '-q', '--tls-verify=false', `${P}/busybox:oci`]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(fx.images.busybox.manifests[0]!.config.digest.slice(7));
    const inspect = JSON.parse((await s.sk(['image', 'inspect', `${P}/busybox:oci`])).stdout)[0];
    expect(inspect.ManifestType).toBe('application/vnd.oci.image.manifest.v1+json');
    expect(inspect.Digest).toBe(fx.images.busybox.digest);
  });

  it('pulls zstd layers (into a fresh store) and runs them', async () => {
    const z = makePullEnv();
    try {
      const r = await z.sk(['pull', '-q', '--tls-verify=false', `${P}/busybox:zstd`]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(z.layerDirs()).toHaveLength(1);
      expect((await z.sk(['run', '--rm', `${P}/busybox:zstd`, 'cat', '/etc/passwd'])).stdout).toMatch(/^root:/);
    } finally {
      await z.cleanup();
    }
  });

  it('pulls layers and applies whiteouts, opaque directories and hardlinks', async () => {
    expect((await s.sk(['pull', '--tls-verify=false', `${P}/layers:latest`])).code).toBe(0);
    const ls = await s.sk(['run', '--rm', `${P}/layers`, 'sh', '-c', 'ls -a /fixture /fixture/opaque; cat /fixture/kept.txt']);
    expect(ls.code).toBe(0);
    const [fixtureDir, opaqueDir] = ls.stdout.split('\n\n');
    expect(fixtureDir).not.toMatch(/deleted\.txt|gone-dir|\.wh\./);
    expect(fixtureDir).toMatch(/kept\.txt/);
    expect(opaqueDir).toMatch(/upper\.txt/);
    expect(opaqueDir).not.toMatch(/lower-a\.txt|lower-sub|\.wh\./);
    expect(ls.stdout).toMatch(/layer 3\n$/);
    const st = await s.sk(['run', '--rm', `${P}/layers`, 'stat', '-c', '%i %h %a %u:%g', '/fixture/hardlinks/a-original', '/fixture/hardlinks/b-link', '/fixture/hardlinks/c-nested/d-link', '/fixture/special/setuid', '/fixture/special/owned-by-selkie']);
    expect(st.code).toBe(0);
    const rows = st.stdout.trim().split('\n').map((l) => l.split(' '));
    expect(new Set(rows.slice(0, 3).map((r) => r[0])).size).toBe(1);
    expect(rows[0]![1]).toBe('3');
    expect(rows[3]!.slice(2)).toEqual(['6755', '0:0']);
    expect(rows[4]!.slice(2)).toEqual(['640', '1000:1000']);
  });

  it('removes a pulled multi-layer image with its layers, keeping layers other images share', async () => {
    expect((await s.sk(['pull', '-q', '--tls-verify=false', `${P}/layers:latest`])).code).toBe(0);
    const rmi = await s.sk(['rmi', `${P}/layers:latest`]);
    expect(rmi.stderr).toBe('');
    expect(rmi.code).toBe(0);
    expect((await s.sk(['image', 'exists', `${P}/layers:latest`])).code).toBe(1);
    expect((await s.sk(['run', '--rm', `${P}/busybox:latest`, 'echo', 'base layer intact'])).stdout).toBe('base layer intact\n');
  });

  it('picks the host platform from a manifest list, and --platform picks another', async () => {
    expect((await s.sk(['pull', '--tls-verify=false', `${P}/multiarch:latest`])).code).toBe(0);
    expect((await s.sk(['image', 'inspect', '--format', '{{.Architecture}}', `${P}/multiarch:latest`])).stdout).toBe('amd64\n');
    expect((await s.sk(['pull', '--tls-verify=false', '--platform', 'linux/arm64', `${P}/multiarch:oci`])).code).toBe(0);
    expect((await s.sk(['image', 'inspect', '--format', '{{.Architecture}}', `${P}/multiarch:oci`])).stdout).toBe('arm64\n');
    const r = await s.sk(['pull', '--tls-verify=false', '--platform', 'linux/s390x', `${P}/multiarch:oci`]);
    expect(r.code).toBe(125);
    expect(r.stderr).toMatch(/no image for platform linux\/s390x in .*multiarch:oci: it offers linux\/amd64, linux\/arm64/);
  });

  it('inspects a remote image without storing anything', async () => {
    const e = makePullEnv();
    try {
      const r = await e.sk(['image', 'inspect', '--remote', '--tls-verify=false', `${P}/layers:oci`]);
      expect(r.stderr).toBe('');
      const info = JSON.parse(r.stdout);
      const m = fx.images.layers.manifests[0]!;
      expect(info.Name).toBe(`${P}/layers`);
      expect(info.Digest).toBe(fx.images.layers.digest);
      expect(info.RepoTags.sort()).toEqual(['latest', 'oci']);
      expect(info.Architecture).toBe('amd64');
      expect(info.Os).toBe('linux');
      expect(info.Layers.map((l: { Digest: string }) => l.Digest)).toEqual(m.layers.map((l) => l.digest));
      expect(info.Size).toBe(m.layers.reduce((n, l) => n + l.size, 0));
      expect(await e.imageIds()).toEqual([]);
      expect(e.layerDirs()).toEqual([]);
    } finally {
      await e.cleanup();
    }
  });

  it('run pulls a missing image (registries.conf insecure), never a localhost/ name', async () => {
    const e = makePullEnv(`[[registry]]\nlocation = "${P}"\ninsecure = true\n`);
    try {
      const r = await e.sk(['run', '--rm', `${P}/busybox:oci`, 'echo', 'auto']);
      expect(r.stdout).toBe('auto\n');
      expect(await e.imageIds()).toHaveLength(1);
      const l = await e.sk(['run', '--rm', 'localhost/not-here', 'true']);
      expect(l.code).toBe(125);
      expect(l.stderr).toMatch(/image "localhost\/not-here" not found/);
    } finally {
      await e.cleanup();
    }
  });

  it('resolves short names through unqualified-search-registries and pulls from mirrors', async () => {
    const conf = [
      `unqualified-search-registries = ["${P}"]`,
      `[[registry]]`,
      `location = "${P}"`,
      `insecure = true`,
      `[[registry]]`,
      `prefix = "mirrored.example"`,
      `location = "mirrored.example"`,
      `[[registry.mirror]]`,
      `location = "${P}"`,
      `insecure = true`,
      '',
    ].join('\n');
    const e = makePullEnv(conf);
    try {
      const short = await e.sk(['pull', '-q', 'busybox:oci']);
      expect(short.stderr).toBe('');
      expect(short.code).toBe(0);
      const m = await e.sk(['pull', '-q', 'mirrored.example/layers:latest']);
      expect(m.stderr).toBe('');
      expect(m.code).toBe(0);
      const names = (await e.sk(['images', '--format', '{{.Repository}}:{{.Tag}}'])).stdout.split('\n').filter(Boolean).sort();
      expect(names).toEqual([`${P}/busybox:oci`, 'mirrored.example/layers:latest']);
    } finally {
      await e.cleanup();
    }
  });

  it('pulls and runs an image skopeo pushed just now', async () => {
    const ref = `${P}/pushed-by-skopeo:t1`;
    await skopeo(['copy', '-q', ...skopeoRegistryArgs(plain, 'dest'), '--format', 'v2s2', `oci:${fx.images.layers.layout}:${fx.images.layers.tag}`, `docker://${ref}`]);
    expect((await s.sk(['pull', '-q', '--tls-verify=false', ref])).code).toBe(0);
    expect((await s.sk(['run', '--rm', ref, 'cat', '/fixture/kept.txt'])).stdout).toBe('layer 3\n');
  });
});
