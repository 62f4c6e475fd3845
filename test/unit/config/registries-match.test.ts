import { describe, expect, it } from 'vitest';
import {
  findRegistry,
  isBlocked,
  isInsecure,
  prefixMatchLength,
  pullSources,
  type RegistriesConfig,
} from '../../../src/engine/config/registries-conf.js';
import { parseDockerReference, parseNormalizedReference, toString } from '../../../src/engine/images/reference.js';
import { configOf } from './registries-config.js';

const SHA256 = `sha256:${'cd'.repeat(32)}`;

function sources(c: RegistriesConfig, ref: string) {
  return pullSources(c, parseDockerReference(ref)).map((s) => ({ ...s, reference: toString(s.reference) }));
}

describe('prefix matching', () => {
  it('requires a separator after the prefix', () => {
    expect(prefixMatchLength('example.com/foo/bar:1', 'example.com/foo')).toBe(15);
    expect(prefixMatchLength('example.com/foo:1', 'example.com/foo')).toBe(15);
    expect(prefixMatchLength(`example.com/foo@${SHA256}`, 'example.com/foo')).toBe(15);
    expect(prefixMatchLength('example.com/foo', 'example.com/foo')).toBe(15);
    expect(prefixMatchLength('example.com/foobar:1', 'example.com/foo')).toBe(-1);
    expect(prefixMatchLength('example.community/x', 'example.com')).toBe(-1);
    expect(prefixMatchLength('example.com:5000/x', 'example.com')).toBe(11);
  });

  it('matches wildcard subdomains, any depth, never the bare domain', () => {
    expect(prefixMatchLength('a.example.com/x:1', '*.example.com')).toBe(13);
    expect(prefixMatchLength('a.b.example.com:5000/x:1', '*.example.com')).toBe(15);
    expect(prefixMatchLength('a.example.com', '*.example.com')).toBe(13);
    expect(prefixMatchLength('example.com/x', '*.example.com')).toBe(-1);
    expect(prefixMatchLength('notexample.com/x', '*.example.com')).toBe(-1);
    expect(prefixMatchLength('quay.io/a.example.com/x', '*.example.com')).toBe(-1);
  });
});

describe('findRegistry', () => {
  const c = configOf(`
[[registry]]
location = "example.com"
[[registry]]
location = "example.com/foo/bar"
[[registry]]
location = "example.com/foo"
[[registry]]
prefix = "*.example.com"
insecure = true
[[registry]]
location = "a.example.com"
[[registry]]
location = "localhost:5000"
insecure = true
`);

  it('picks the longest matching prefix', () => {
    expect(findRegistry(c, parseDockerReference('example.com/foo/bar/baz'))?.prefix).toBe('example.com/foo/bar');
    expect(findRegistry(c, parseDockerReference('example.com/foo/other'))?.prefix).toBe('example.com/foo');
    expect(findRegistry(c, parseDockerReference('example.com/foobar'))?.prefix).toBe('example.com');
    expect(findRegistry(c, parseDockerReference('quay.io/x'))).toBeUndefined();
  });

  it('prefers a plain prefix over an equally long wildcard', () => {
    expect(findRegistry(c, parseDockerReference('a.example.com/x'))?.prefix).toBe('a.example.com');
    expect(findRegistry(c, parseDockerReference('b.example.com/x'))?.prefix).toBe('*.example.com');
    expect(isInsecure(c, parseDockerReference('deep.b.example.com/x'))).toBe(true);
  });

  it('accepts raw host strings', () => {
    expect(isInsecure(c, 'localhost:5000')).toBe(true);
    expect(isInsecure(c, 'localhost:5001')).toBe(false);
    expect(isInsecure(c, 'localhost')).toBe(false);
  });
});

describe('pullSources', () => {
  it('tries mirrors in order, then the rewritten primary location (man page example)', () => {
    const c = configOf(`
unqualified-search-registries = ["example.com"]
[[registry]]
prefix = "example.com/foo"
insecure = false
blocked = false
location = "internal-registry-for-example.com/bar"
[[registry.mirror]]
location = "example-mirror-0.local/mirror-for-foo"
[[registry.mirror]]
location = "example-mirror-1.local/mirrors/foo"
insecure = true
[[registry]]
location = "registry.com"
[[registry.mirror]]
location = "mirror.registry.com"
`);
    expect(sources(c, 'example.com/foo/image:latest')).toEqual([
      { location: 'example-mirror-0.local/mirror-for-foo', insecure: false, mirror: true, reference: 'example-mirror-0.local/mirror-for-foo/image:latest' },
      { location: 'example-mirror-1.local/mirrors/foo', insecure: true, mirror: true, reference: 'example-mirror-1.local/mirrors/foo/image:latest' },
      { location: 'internal-registry-for-example.com/bar', insecure: false, mirror: false, reference: 'internal-registry-for-example.com/bar/image:latest' },
    ]);
    expect(sources(c, 'registry.com/image:1').map((s) => s.reference)).toEqual(['mirror.registry.com/image:1', 'registry.com/image:1']);
  });

  it('returns the reference itself when no table matches', () => {
    expect(sources(configOf(''), 'busybox')).toEqual([
      { location: 'docker.io', insecure: false, mirror: false, reference: 'docker.io/library/busybox:latest' },
    ]);
  });

  it('mirrors Docker Hub library images with the explicit /library prefix', () => {
    const c = configOf(`
[[registry]]
prefix = "docker.io/library"
location = "docker.io/library"
[[registry.mirror]]
location = "mirror.local:5000/hub"
`);
    expect(sources(c, 'busybox:1.36').map((s) => s.reference)).toEqual([
      'mirror.local:5000/hub/busybox:1.36',
      'docker.io/library/busybox:1.36',
    ]);
    expect(sources(c, 'user/app').map((s) => s.reference)).toEqual(['docker.io/user/app:latest']);
  });

  it('honours mirror-by-digest-only', () => {
    const c = configOf(`
[[registry]]
location = "quay.io"
mirror-by-digest-only = true
[[registry.mirror]]
location = "m.local"
`);
    expect(sources(c, 'quay.io/a/b:1').map((s) => s.reference)).toEqual(['quay.io/a/b:1']);
    expect(sources(c, `quay.io/a/b@${SHA256}`).map((s) => s.reference)).toEqual([`m.local/a/b@${SHA256}`, `quay.io/a/b@${SHA256}`]);
  });

  it('honours per-mirror pull-from-mirror', () => {
    const c = configOf(`
[[registry]]
location = "quay.io"
[[registry.mirror]]
location = "digests.local"
pull-from-mirror = "digest-only"
[[registry.mirror]]
location = "tags.local"
pull-from-mirror = "tag-only"
[[registry.mirror]]
location = "all.local"
`);
    expect(sources(c, 'quay.io/a:1').map((s) => s.location)).toEqual(['tags.local', 'all.local', 'quay.io']);
    expect(sources(c, `quay.io/a@${SHA256}`).map((s) => s.location)).toEqual(['digests.local', 'all.local', 'quay.io']);
  });

  it('keeps the reference for a wildcard prefix without location, but rewrites mirrors', () => {
    const c = configOf(`
[[registry]]
prefix = "*.corp.example"
insecure = true
[[registry.mirror]]
location = "cache.local/corp"
`);
    expect(sources(c, 'reg.eu.corp.example/team/app:2')).toEqual([
      { location: 'cache.local/corp', insecure: false, mirror: true, reference: 'cache.local/corp/team/app:2' },
      { location: 'reg.eu.corp.example', insecure: true, mirror: false, reference: 'reg.eu.corp.example/team/app:2' },
    ]);
  });

  it('refuses blocked registries, naming the file', () => {
    const c = configOf(`
[[registry]]
location = "bad.example.com"
blocked = true
[[registry]]
location = "bad.example.com/allowed"
`);
    expect(isBlocked(c, parseDockerReference('bad.example.com/x'))).toBe(true);
    expect(isBlocked(c, parseDockerReference('bad.example.com/allowed/x'))).toBe(false);
    expect(isBlocked(c, 'bad.example.com')).toBe(true);
    expect(() => pullSources(c, parseDockerReference('bad.example.com/x'))).toThrow(
      /registry "bad.example.com" is blocked in \/etc\/containers\/registries.conf/,
    );
    expect(pullSources(c, parseDockerReference('bad.example.com/allowed/x'))).toHaveLength(1);
  });

  it('rewrites a prefix that ends in a repository with a tag kept', () => {
    const c = configOf(`
[[registry]]
prefix = "example.com/app"
location = "other.example.net/some/where"
`);
    expect(sources(c, 'example.com/app:v1').map((s) => s.reference)).toEqual(['other.example.net/some/where:v1']);
    expect(findRegistry(c, parseNormalizedReference('example.com/app2'))).toBeUndefined();
  });
});
