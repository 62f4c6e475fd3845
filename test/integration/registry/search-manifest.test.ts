import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useFixtures } from '../../fixtures/inject.js';
import { makePullEnv, type PullEnv } from './pull-helpers.js';

const fx = useFixtures();
const { plain, basic } = fx.registries;

let s: PullEnv;
let searching: PullEnv;
beforeAll(() => {
  s = makePullEnv();
  // A configuration whose unqualified-search registry is the plain fixture registry.
  searching = makePullEnv(`unqualified-search-registries = ["${plain.host}"]\n[[registry]]\nlocation = "${plain.host}"\ninsecure = true\n`);
});
afterAll(async () => {
  await s?.cleanup();
  await searching?.cleanup();
});

describe('manifest inspect', () => {
  it('prints the image index of a multi-platform image as indented JSON', async () => {
    const r = await s.sk(['manifest', 'inspect', '--tls-verify=false', `${plain.host}/multiarch:oci`]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\{\n {4}"schemaVersion": 2,\n/);
    const index = JSON.parse(r.stdout) as { mediaType: string; manifests: { digest: string; platform: { architecture: string } }[] };
    expect(index.mediaType).toBe('application/vnd.oci.image.index.v1+json');
    expect(index.manifests.map((m) => m.digest).sort()).toEqual(fx.images.multiarch.manifests.map((m) => m.digest).sort());
  });

  it('prints a Docker manifest list, through registries.conf insecure without --tls-verify', async () => {
    const r = await searching.sk(['manifest', 'inspect', `${plain.host}/multiarch:latest`]);
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout) as { mediaType: string; manifests: unknown[] };
    expect(list.mediaType).toBe('application/vnd.docker.distribution.manifest.list.v2+json');
    expect(list.manifests).toHaveLength(fx.images.multiarch.manifests.length);
  });

  it('prints the single manifest of an image without a list; short names use the search registries', async () => {
    const r = await searching.sk(['manifest', 'inspect', 'busybox:oci']);
    expect(r.code).toBe(0);
    const m = JSON.parse(r.stdout) as { mediaType: string; layers: { digest: string }[] };
    expect(m.mediaType).toBe('application/vnd.oci.image.manifest.v1+json');
    expect(m.layers.map((l) => l.digest)).toEqual(fx.images.busybox.manifests[0]!.layers.map((l) => l.digest));
    expect(await searching.imageIds()).toEqual([]);
  });

  it('an unknown image is exit 125 naming it; credentials come from --creds', async () => {
    const r = await s.sk(['manifest', 'inspect', '--tls-verify=false', `${plain.host}/no-such-repo:1`]);
    expect(r.code).toBe(125);
    expect(r.stderr).toMatch(/no-such-repo:1 .*not found/);
    const denied = await s.sk(['manifest', 'inspect', '--tls-verify=false', `${basic.host}/busybox:latest`]);
    expect(denied.code).toBe(125);
    expect(denied.stderr).toMatch(/authentication required/);
    const ok = await s.sk(['manifest', 'inspect', '--tls-verify=false', '--creds', `${basic.username}:${basic.password}`, `${basic.host}/busybox:latest`]);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).mediaType).toBe('application/vnd.docker.distribution.manifest.v2+json');
  });
});

describe('search', () => {
  it('REGISTRY/TERM lists the matching repositories of that registry as a table', async () => {
    const r = await s.sk(['search', '--tls-verify=false', `${plain.host}/busy`]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n').filter(Boolean);
    expect(lines[0]).toMatch(/^NAME\s+DESCRIPTION$/);
    expect(lines.slice(1).map((l) => l.trim())).toContain(`${plain.host}/busybox`);
    expect(r.stdout).not.toContain(`${plain.host}/layers`);
  });

  it('a bare term searches the unqualified-search registries; --format has podman fields', async () => {
    const r = await searching.sk(['search', '--format', '{{.Index}}|{{.Name}}|{{.Description}}|{{.Stars}}|{{.Official}}|{{.Automated}}|{{.Tag}}', 'multiarch']);
    expect(r.code).toBe(0);
    // (Other tests may push more repositories to this registry: look for ours.)
    expect(r.stdout.split('\n')).toContain(`${plain.host}|${plain.host}/multiarch||0|||`);
    const j = await searching.sk(['search', '--format', 'json', 'layers']);
    const rows = JSON.parse(j.stdout) as { Name: string }[];
    expect(rows.find((x) => x.Name === `${plain.host}/layers`)).toEqual({ Index: plain.host, Name: `${plain.host}/layers`, Description: '', Stars: 0, Official: '', Automated: '', Tag: '' });
    expect(j.stdout).toMatch(/^\[\n {4}\{\n {8}"Index": /);
  });

  it('--limit, --filter, and no match prints nothing', async () => {
    const all = (await searching.sk(['search', '--format', '{{.Name}}', 'a'])).stdout.split('\n').filter(Boolean);
    expect(all.length).toBeGreaterThanOrEqual(2); // layers, multiarch (and what other tests pushed)
    expect((await searching.sk(['search', '--limit', '1', '--format', '{{.Name}}', 'a'])).stdout.split('\n').filter(Boolean)).toEqual(all.slice(0, 1));
    const none = await searching.sk(['search', 'no-repository-is-called-this']);
    expect(none).toMatchObject({ code: 0, stdout: '' });
    expect((await searching.sk(['search', '--filter', 'stars=1', 'busybox'])).stdout).toBe('');
    expect((await searching.sk(['search', '--filter', 'is-official=false', '--format', '{{.Name}}', 'busybox'])).stdout).toContain(`${plain.host}/busybox\n`);
    const bad = await searching.sk(['search', '--filter', 'colour=blue', 'busybox']);
    expect(bad.code).toBe(125);
    expect(bad.stderr).toMatch(/invalid filter type "colour=blue"/);
  });

  it('follows the catalog pagination (Link headers) page by page', async () => {
    const r = await searching.sk(['--log-level', 'debug', 'search', '--format', '{{.Name}}', 'a'], { env: { SELKIE_REGISTRY_PAGE_SIZE: '1' } });
    expect(r.code).toBe(0);
    const pages = r.stderr.split('\n').filter((l) => /GET .*\/v2\/_catalog/.test(l));
    expect(pages.length).toBeGreaterThanOrEqual(3);
    expect(pages[1]).toMatch(/[?&]last=/);
    const unpaged = await searching.sk(['search', '--format', '{{.Name}}', 'a']);
    expect(r.stdout).toBe(unpaged.stdout);
  });

  it('--list-tags lists the tags of one repository (table and json)', async () => {
    const r = await searching.sk(['search', '--list-tags', `${plain.host}/busybox`]);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n').filter(Boolean);
    expect(lines[0]).toMatch(/^NAME\s+TAG$/);
    expect(lines.slice(1).map((l) => l.split(/\s+/)[1]).sort()).toEqual(['latest', 'oci', 'zstd']);
    const j = await searching.sk(['search', '--list-tags', '--format', 'json', 'busybox']);
    const parsed = JSON.parse(j.stdout) as { Name: string; Tags: string[] }[];
    expect(parsed).toHaveLength(1);
    expect(parsed[0]!.Name).toBe(`${plain.host}/busybox`);
    expect(parsed[0]!.Tags.sort()).toEqual(['latest', 'oci', 'zstd']);
    const tagged = await searching.sk(['search', '--list-tags', 'busybox:latest']);
    expect(tagged.code).toBe(125);
    expect(tagged.stderr).toMatch(/--list-tags takes a repository without a tag/);
  });

  it('needs a registry: none configured is a usage error; --creds reach a registry with basic auth', async () => {
    const r = await s.sk(['search', 'busybox']);
    expect(r.code).toBe(125);
    expect(r.stderr).toMatch(/no registry to search/);
    const basicSearch = await s.sk(['search', '--tls-verify=false', '--creds', `${basic.username}:${basic.password}`, '--format', '{{.Name}}', `${basic.host}/busy`]);
    expect(basicSearch.code).toBe(0);
    expect(basicSearch.stdout.split('\n')).toContain(`${basic.host}/busybox`);
    const denied = await s.sk(['search', '--tls-verify=false', `${basic.host}/busy`]);
    expect(denied.code).toBe(125);
    expect(denied.stderr).toMatch(/authentication required/);
  });
});
