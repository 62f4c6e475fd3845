import { describe, expect, it } from 'vitest';
import { loadRegistriesConfig, type RegistriesConfig } from '../../../src/engine/config/registries-conf.js';
import { toString } from '../../../src/engine/images/reference.js';
import { resolveShortName } from '../../../src/engine/images/short-names.js';
import { registriesRoot } from './fixtures.js';
import { configOf } from './registries-config.js';

const SHA256 = `sha256:${'ef'.repeat(32)}`;

function resolve(name: string, c: RegistriesConfig, interactive = false): string[] {
  return resolveShortName(name, c, { interactive }).candidates.map(toString);
}

describe('resolveShortName', () => {
  const c = configOf(`
unqualified-search-registries = ["registry.fedoraproject.org", "quay.io", "docker.io"]
[aliases]
"fedora" = "registry.fedoraproject.org/fedora"
"busybox" = "docker.io/busybox"
"team/tool" = "quay.io/team/tool"
`);

  it('resolves a fully qualified name to itself', () => {
    expect(resolveShortName('quay.io/org/app', c)).toEqual({
      candidates: [{ domain: 'quay.io', path: 'org/app', tag: 'latest' }],
      fromAlias: false,
      qualified: true,
    });
    expect(resolve(`docker.io/fedora@${SHA256}`, c)).toEqual([`docker.io/library/fedora@${SHA256}`]);
  });

  it('keeps localhost names local', () => {
    expect(resolve('localhost/app', c)).toEqual(['localhost/app:latest']);
    expect(resolve('localhost:5000/app:1', c)).toEqual(['localhost:5000/app:1']);
  });

  it('lets an alias win and carries the tag or digest over', () => {
    const r = resolveShortName('fedora:40', c);
    expect(r.fromAlias).toBe(true);
    expect(r.aliasSource).toBe('/etc/containers/registries.conf');
    expect(r.candidates.map(toString)).toEqual(['registry.fedoraproject.org/fedora:40']);
    expect(resolve('busybox', c)).toEqual(['docker.io/library/busybox:latest']);
    expect(resolve(`team/tool@${SHA256}`, c)).toEqual([`quay.io/team/tool@${SHA256}`]);
  });

  it('tries each unqualified-search registry in order', () => {
    const r = resolveShortName('alpine', c);
    expect(r.fromAlias).toBe(false);
    expect(r.candidates.map(toString)).toEqual([
      'registry.fedoraproject.org/alpine:latest',
      'quay.io/alpine:latest',
      'docker.io/library/alpine:latest',
    ]);
    expect(resolve('user/app:2', c)).toEqual(['registry.fedoraproject.org/user/app:2', 'quay.io/user/app:2', 'docker.io/user/app:2']);
  });

  it('falls back to docker.io without search registries (Docker behaviour)', () => {
    const empty = configOf('');
    expect(resolve('busybox', empty)).toEqual(['docker.io/library/busybox:latest']);
    expect(resolve('user/app', empty)).toEqual(['docker.io/user/app:latest']);
  });

  it('enforcing mode refuses an ambiguous short name unless the caller can prompt', () => {
    const enforcing = configOf('short-name-mode = "enforcing"\nunqualified-search-registries = ["a.com", "b.com"]\n[aliases]\n"x" = "a.com/x"\n');
    expect(() => resolveShortName('app', enforcing)).toThrow(/short-name-mode is "enforcing".*a\.com\/app:latest, b\.com\/app:latest/);
    expect(resolve('app', enforcing, true)).toEqual(['a.com/app:latest', 'b.com/app:latest']);
    expect(resolve('x', enforcing)).toEqual(['a.com/x:latest']);
    const single = configOf('short-name-mode = "enforcing"\nunqualified-search-registries = ["a.com"]\n');
    expect(resolve('app', single)).toEqual(['a.com/app:latest']);
  });

  it('rejects invalid names with the reference error', () => {
    expect(() => resolveShortName('Busybox', c)).toThrow('invalid reference format: repository name must be lowercase: "Busybox"');
    expect(() => resolveShortName('a'.repeat(64).replace(/a/g, 'f'), c)).toThrow(/image ID/);
  });

  it('uses aliases in precedence order: registries.conf < drop-ins < alias cache', () => {
    const { opts } = registriesRoot({
      'etc/registries.conf': 'unqualified-search-registries = ["search.com"]\n[aliases]\n"a" = "conf.com/a"\n"b" = "conf.com/b"\n"c" = "conf.com/c"\n',
      'etc/registries.conf.d/10.conf': '[aliases]\n"b" = "dropin.com/b"\n"c" = "dropin.com/c"\n',
      'home/.cache/containers/short-name-aliases.conf': '[aliases]\n"c" = "cache.com/c"\n',
    });
    const config = loadRegistriesConfig(opts);
    expect(resolve('a', config)).toEqual(['conf.com/a:latest']);
    expect(resolve('b', config)).toEqual(['dropin.com/b:latest']);
    expect(resolve('c', config)).toEqual(['cache.com/c:latest']);
    expect(resolve('d', config)).toEqual(['search.com/d:latest']);
  });
});
