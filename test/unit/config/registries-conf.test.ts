import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ROOT_ALIAS_CACHE,
  clearRegistriesConfigCache,
  loadRegistriesConfig,
  parseRegistriesConf,
  registriesConfFiles,
  registriesSummary,
} from '../../../src/engine/config/registries-conf.js';
import { errorOf } from './error-of.js';
import { registriesRoot, writeTree } from './fixtures.js';

const V2 = `
unqualified-search-registries = ["registry.fedoraproject.org", "quay.io", "docker.io"]
short-name-mode = "enforcing"
credential-helpers = ["containers-auth.json", "pass"]

[[registry]]
prefix = "example.com/foo"
location = "internal.example.net/bar/"
insecure = true

[[registry.mirror]]
location = "mirror-0.local/foo"

[[registry.mirror]]
location = "mirror-1.local/foo"
insecure = true
pull-from-mirror = "digest-only"

[[registry]]
location = "registry.local:5000"
blocked = true
mirror-by-digest-only = true

[aliases]
"fedora" = "registry.fedoraproject.org/fedora"
"busybox" = "docker.io/busybox"
`;

describe('registries.conf V2', () => {
  it('parses every documented field', () => {
    const f = parseRegistriesConf(V2, '/x/registries.conf');
    expect(f.unqualifiedSearchRegistries).toEqual(['registry.fedoraproject.org', 'quay.io', 'docker.io']);
    expect(f.shortNameMode).toBe('enforcing');
    expect(f.credentialHelpers).toEqual(['containers-auth.json', 'pass']);
    expect(f.registries).toEqual([
      {
        prefix: 'example.com/foo',
        location: 'internal.example.net/bar',
        insecure: true,
        blocked: false,
        mirrorByDigestOnly: false,
        mirrors: [
          { location: 'mirror-0.local/foo', insecure: false, pullFromMirror: 'all' },
          { location: 'mirror-1.local/foo', insecure: true, pullFromMirror: 'digest-only' },
        ],
        source: '/x/registries.conf',
      },
      {
        prefix: 'registry.local:5000',
        location: 'registry.local:5000',
        insecure: false,
        blocked: true,
        mirrorByDigestOnly: true,
        mirrors: [],
        source: '/x/registries.conf',
      },
    ]);
    expect(f.aliases).toEqual({ fedora: 'registry.fedoraproject.org/fedora', busybox: 'docker.io/library/busybox' });
  });

  it('accepts a wildcard prefix without location', () => {
    const f = parseRegistriesConf('[[registry]]\nprefix = "*.example.com"\ninsecure = true\n', 'f');
    expect(f.registries[0]).toMatchObject({ prefix: '*.example.com', location: '', insecure: true });
  });

  const bad: [string, string, RegExp][] = [
    ['malformed TOML', 'a = 1\nunqualified-search-registries = [\n[[registry]]\n', /^\/etc\/r\.conf:3:\d+: invalid TOML: /],
    ['wrong type', '[[registry]]\nlocation = "a.com"\ninsecure = "yes"\n', /\[\[registry\]\] #1: "insecure" must be true or false/],
    ['search registry with scheme', 'unqualified-search-registries = ["https://quay.io"]', /URL schemes are not supported/],
    ['search entry not a host', 'unqualified-search-registries = ["not a host"]', /must not contain spaces/],
    ['bad short-name-mode', 'short-name-mode = "strict"', /"short-name-mode" must be/],
    ['no location nor prefix', '[[registry]]\ninsecure = true\n', /set "location"/],
    ['prefix without location', '[[registry]]\nprefix = "a.com/x"\n', /"location" is required unless/],
    ['bad wildcard', '[[registry]]\nprefix = "*.example.com/foo"\n', /must be of the form \*\.example\.com/],
    ['location URL', '[[registry]]\nlocation = "http://a.com"\n', /URL schemes are not supported/],
    [
      'pull-from-mirror with mirror-by-digest-only',
      '[[registry]]\nlocation = "a.com"\nmirror-by-digest-only = true\n[[registry.mirror]]\nlocation = "m.com"\npull-from-mirror = "tag-only"\n',
      /cannot be set when the registry sets "mirror-by-digest-only"/,
    ],
    ['bad pull-from-mirror', '[[registry]]\nlocation = "a.com"\n[[registry.mirror]]\nlocation = "m"\npull-from-mirror = "some"\n', /must be "all"/],
    ['mirror without location', '[[registry]]\nlocation = "a.com"\n[[registry.mirror]]\ninsecure = true\n', /"location" is required for a mirror/],
    ['duplicate prefix', '[[registry]]\nlocation = "a.com"\n[[registry]]\nlocation = "a.com"\n', /defined more than once/],
    ['alias with registry', '[aliases]\n"quay.io/x" = "quay.io/x"\n', /must be a short name/],
    ['alias with tag', '[aliases]\n"x:1" = "quay.io/x"\n', /cannot have a tag or digest/],
    ['alias to short name', '[aliases]\n"x" = "x"\n', /is not fully qualified/],
    ['alias to tagged value', '[aliases]\n"x" = "quay.io/x:1"\n', /cannot have a tag or digest/],
    ['alias not a string', '[aliases]\nx = 1\n', /must be a string/],
    ['mixed V1 and V2', '[registries.search]\nregistries = ["a.com"]\n[[registry]]\nlocation = "b.com"\n', /mixes the V1/],
  ];
  it.each(bad)('rejects %s with the file named', (_what, text, want) => {
    const e = errorOf(() => parseRegistriesConf(text, '/etc/r.conf'));
    expect(e.kind).toBe('invalid');
    expect(e.message).toMatch(/^\/etc\/r\.conf[:]/);
    expect(e.message).toMatch(want);
    expect(e.hint).toMatch(/fix or delete/);
  });
});

describe('registries.conf V1', () => {
  it('converts search, insecure and block lists', () => {
    const f = parseRegistriesConf(
      `[registries.search]\nregistries = ['registry1.com', 'registry2.com']\n[registries.insecure]\nregistries = ['registry3.com', 'registry1.com']\n[registries.block]\nregistries = ['bad.com']\n`,
      'v1.conf',
    );
    expect(f.unqualifiedSearchRegistries).toEqual(['registry1.com', 'registry2.com']);
    const byPrefix = Object.fromEntries(f.registries.map((r) => [r.prefix, r]));
    expect(Object.keys(byPrefix).sort()).toEqual(['bad.com', 'registry1.com', 'registry2.com', 'registry3.com']);
    expect(byPrefix['registry1.com']).toMatchObject({ location: 'registry1.com', insecure: true, blocked: false });
    expect(byPrefix['registry3.com']).toMatchObject({ insecure: true });
    expect(byPrefix['bad.com']).toMatchObject({ blocked: true, insecure: false });
  });

  it('leaves search registries unset when there is no [registries.search]', () => {
    const f = parseRegistriesConf(`[registries.insecure]\nregistries = ['a.com']\n`, 'v1.conf');
    expect(f.unqualifiedSearchRegistries).toBeUndefined();
  });
});

describe('loading and drop-ins', () => {
  it('returns defaults when nothing exists', () => {
    const { opts } = registriesRoot({});
    const c = loadRegistriesConfig(opts);
    expect(c).toMatchObject({
      unqualifiedSearchRegistries: [],
      shortNameMode: 'permissive',
      credentialHelpers: ['containers-auth.json'],
      registries: [],
      aliases: {},
      files: [],
    });
  });

  it('applies drop-ins in name order, later files overriding', () => {
    const { root, opts } = registriesRoot({
      'etc/registries.conf': `unqualified-search-registries = ["a.com"]\nshort-name-mode = "enforcing"\n[[registry]]\nprefix = "x.com"\nlocation = "x-old.com"\n[[registry]]\nlocation = "keep.com"\n[aliases]\n"gone" = "a.com/gone"\n"kept" = "a.com/kept"\n`,
      'etc/registries.conf.d/20-second.conf': `unqualified-search-registries = ["c.com"]\n[[registry]]\nprefix = "x.com"\nlocation = "x-new.com"\n`,
      'etc/registries.conf.d/10-first.conf': `unqualified-search-registries = ["b.com"]\ncredential-helpers = ["secretservice"]\n[aliases]\n"gone" = ""\n`,
      'etc/registries.conf.d/30-ignored.conf.bak': `unqualified-search-registries = ["ignored.com"]\n`,
      'etc/registries.conf.d/40-dir.conf/x': 'not a file',
      'home/.config/containers/registries.conf.d/50-user.conf': `[[registry]]\nlocation = "user.com"\n`,
    });
    const c = loadRegistriesConfig(opts);
    expect(c.files).toEqual([
      path.join(root, 'etc/registries.conf'),
      path.join(root, 'etc/registries.conf.d/10-first.conf'),
      path.join(root, 'etc/registries.conf.d/20-second.conf'),
      path.join(root, 'home/.config/containers/registries.conf.d/50-user.conf'),
    ]);
    expect(c.unqualifiedSearchRegistries).toEqual(['c.com']);
    expect(c.shortNameMode).toBe('enforcing');
    expect(c.credentialHelpers).toEqual(['secretservice']);
    expect(c.registries.map((r) => [r.prefix, r.location])).toEqual([
      ['x.com', 'x-new.com'],
      ['keep.com', 'keep.com'],
      ['user.com', 'user.com'],
    ]);
    expect(c.registries[0]!.source).toBe(path.join(root, 'etc/registries.conf.d/20-second.conf'));
    expect(Object.keys(c.aliases)).toEqual(['kept']);
  });

  it('an explicitly empty search list clears the earlier one', () => {
    const { opts } = registriesRoot({
      'etc/registries.conf': 'unqualified-search-registries = ["a.com"]\n',
      'etc/registries.conf.d/1.conf': 'unqualified-search-registries = []\n',
    });
    expect(loadRegistriesConfig(opts).unqualifiedSearchRegistries).toEqual([]);
  });

  it('a user registries.conf replaces the system file and its drop-ins', () => {
    const { root, opts } = registriesRoot({
      'etc/registries.conf': 'unqualified-search-registries = ["system.com"]\n',
      'etc/registries.conf.d/1.conf': '[[registry]]\nlocation = "system-dropin.com"\n',
      'xdg/containers/registries.conf': 'unqualified-search-registries = ["user.com"]\n',
      'xdg/containers/registries.conf.d/1.conf': '[[registry]]\nlocation = "user-dropin.com"\n',
    });
    opts.env = { ...opts.env, XDG_CONFIG_HOME: path.join(root, 'xdg') };
    const c = loadRegistriesConfig(opts);
    expect(c.mainFile).toBe(path.join(root, 'xdg/containers/registries.conf'));
    expect(c.unqualifiedSearchRegistries).toEqual(['user.com']);
    expect(c.registries.map((r) => r.prefix)).toEqual(['user-dropin.com']);
  });

  it('CONTAINERS_REGISTRIES_CONF picks the main file and must exist', () => {
    const { root, opts } = registriesRoot({
      'etc/registries.conf': 'unqualified-search-registries = ["system.com"]\n',
      'etc/registries.conf.d/1.conf': 'short-name-mode = "disabled"\n',
      'custom.conf': 'unqualified-search-registries = ["custom.com"]\n',
    });
    opts.env = { ...opts.env, CONTAINERS_REGISTRIES_CONF: path.join(root, 'custom.conf') };
    const c = loadRegistriesConfig(opts);
    expect(c.unqualifiedSearchRegistries).toEqual(['custom.com']);
    expect(c.shortNameMode).toBe('permissive');
    opts.env.CONTAINERS_REGISTRIES_CONF = path.join(root, 'missing.conf');
    expect(() => loadRegistriesConfig(opts)).toThrow(/missing\.conf does not exist/);
    expect(loadRegistriesConfig({ ...opts, confPath: path.join(root, 'custom.conf') }).unqualifiedSearchRegistries).toEqual(['custom.com']);
  });

  it('confDirPath replaces the drop-in directories', () => {
    const { root, opts } = registriesRoot({
      'etc/registries.conf.d/1.conf': 'unqualified-search-registries = ["system.com"]\n',
      'only/1.conf': 'unqualified-search-registries = ["only.com"]\n',
    });
    expect(loadRegistriesConfig({ ...opts, confDirPath: path.join(root, 'only') }).unqualifiedSearchRegistries).toEqual(['only.com']);
  });

  it('the short-name alias cache has the last word on aliases only', () => {
    const { root, opts } = registriesRoot({
      'etc/registries.conf': '[aliases]\n"app" = "conf.com/app"\n"other" = "conf.com/other"\n',
      'etc/registries.conf.d/9.conf': '[aliases]\n"app" = "dropin.com/app"\n',
      'cache/containers/short-name-aliases.conf':
        'unqualified-search-registries = ["ignored.com"]\n[aliases]\n"app" = "cache.com/app"\n"other" = ""\n',
    });
    opts.env = { ...opts.env, XDG_CACHE_HOME: path.join(root, 'cache') };
    const c = loadRegistriesConfig(opts);
    expect(c.aliases).toEqual({
      app: { value: 'cache.com/app', source: path.join(root, 'cache/containers/short-name-aliases.conf') },
    });
    expect(c.unqualifiedSearchRegistries).toEqual([]);
  });

  it('uses the root alias cache for root and ~/.cache otherwise', () => {
    expect(registriesConfFiles({ uid: 0, env: { HOME: '/root' } }).aliasCache).toBe(ROOT_ALIAS_CACHE);
    expect(registriesConfFiles({ uid: 1000, env: { HOME: '/home/u' } }).aliasCache).toBe(
      '/home/u/.cache/containers/short-name-aliases.conf',
    );
  });

  it('names the file and line of a malformed drop-in', () => {
    const { root, opts } = registriesRoot({ 'etc/registries.conf.d/5-bad.conf': '[[registry]]\nlocation = "a.com"\ninsecure = tru\n' });
    const e = errorOf(() => loadRegistriesConfig(opts));
    expect(e.message).toContain(`${path.join(root, 'etc/registries.conf.d/5-bad.conf')}:3:`);
    expect(e.message).toContain('invalid TOML');
  });

  it('caches while files are unchanged and reloads when they change', () => {
    const { root, opts } = registriesRoot({ 'etc/registries.conf': 'unqualified-search-registries = ["a.com"]\n' });
    const first = loadRegistriesConfig(opts);
    first.unqualifiedSearchRegistries.push('mutated.com');
    expect(loadRegistriesConfig(opts).unqualifiedSearchRegistries).toEqual(['a.com']);
    fs.writeFileSync(path.join(root, 'etc/registries.conf'), 'unqualified-search-registries = ["b.com", "c.com"]\n');
    expect(loadRegistriesConfig(opts).unqualifiedSearchRegistries).toEqual(['b.com', 'c.com']);
    writeTree(root, { 'etc/registries.conf.d/1.conf': 'short-name-mode = "disabled"\n' });
    expect(loadRegistriesConfig(opts).shortNameMode).toBe('disabled');
  });

  it('keeps the parsed configuration for later processes while the files are unchanged', () => {
    const { root, opts } = registriesRoot({ 'etc/registries.conf': 'unqualified-search-registries = ["a.com"]\n' });
    const parsedCache = path.join(root, 'run', 'registries-conf.json');
    fs.mkdirSync(path.dirname(parsedCache), { recursive: true });
    expect(loadRegistriesConfig({ ...opts, parsedCache }).unqualifiedSearchRegistries).toEqual(['a.com']);
    // Another process (no in-memory cache) takes the kept result without parsing: shown by editing it.
    const kept = JSON.parse(fs.readFileSync(parsedCache, 'utf8')) as { key: string; config: { unqualifiedSearchRegistries: string[] } };
    kept.config.unqualifiedSearchRegistries = ['from-the-cache.com'];
    fs.writeFileSync(parsedCache, JSON.stringify(kept));
    clearRegistriesConfigCache();
    expect(loadRegistriesConfig({ ...opts, parsedCache }).unqualifiedSearchRegistries).toEqual(['from-the-cache.com']);
    // A changed file is parsed again, and the kept result replaced.
    fs.writeFileSync(path.join(root, 'etc/registries.conf'), 'unqualified-search-registries = ["b.com"]\n');
    clearRegistriesConfigCache();
    expect(loadRegistriesConfig({ ...opts, parsedCache }).unqualifiedSearchRegistries).toEqual(['b.com']);
    expect(JSON.parse(fs.readFileSync(parsedCache, 'utf8')).config.unqualifiedSearchRegistries).toEqual(['b.com']);
    // An unreadable kept file is ignored.
    fs.writeFileSync(parsedCache, '{not json');
    clearRegistriesConfigCache();
    expect(loadRegistriesConfig({ ...opts, parsedCache }).unqualifiedSearchRegistries).toEqual(['b.com']);
  });

  it('summarizes for info', () => {
    const c = loadRegistriesConfig({ ...registriesRoot({}).opts });
    expect(registriesSummary(c)).toEqual({ search: [], insecure: [], blocked: [] });
    const { opts } = registriesRoot({ 'etc/registries.conf': V2 });
    expect(registriesSummary(loadRegistriesConfig(opts))).toEqual({
      search: ['registry.fedoraproject.org', 'quay.io', 'docker.io'],
      insecure: ['example.com/foo'],
      blocked: ['registry.local:5000'],
    });
  });
});
