import { describe, expect, it } from 'vitest';
import {
  familiarName,
  familiarString,
  isShortName,
  name,
  parseDockerReference,
  parseNormalizedReference,
  parseRawReference,
  referenceToString,
  splitDomain,
  toString,
  withDefaultTag,
  withDigest,
  withTag,
} from '../../../src/engine/images/reference.js';
import { isValidDigest } from '../../../src/engine/images/reference-grammar.js';
import { errorOf } from './error-of.js';

const H64 = 'a'.repeat(32) + '0123456789abcdef'.repeat(2);
const SHA256 = `sha256:${H64}`;
const SHA512 = `sha512:${'0123456789abcdef'.repeat(8)}`;

describe('reference grammar: valid references', () => {
  const valid: [string, { domain: string; path: string; tag?: string; digest?: string }][] = [
    ['test_com', { domain: 'docker.io', path: 'library/test_com' }],
    ['test.com:tag', { domain: 'docker.io', path: 'library/test.com', tag: 'tag' }],
    ['test.com:5000', { domain: 'docker.io', path: 'library/test.com', tag: '5000' }],
    ['test.com/repo:tag', { domain: 'test.com', path: 'repo', tag: 'tag' }],
    ['test:5000/repo', { domain: 'test:5000', path: 'repo' }],
    ['test:5000/repo:tag', { domain: 'test:5000', path: 'repo', tag: 'tag' }],
    [`test:5000/repo@${SHA256}`, { domain: 'test:5000', path: 'repo', digest: SHA256 }],
    [`test:5000/repo:tag@${SHA256}`, { domain: 'test:5000', path: 'repo', tag: 'tag', digest: SHA256 }],
    [`repo@${SHA512}`, { domain: 'docker.io', path: 'library/repo', digest: SHA512 }],
    ['lowercase:Uppercase', { domain: 'docker.io', path: 'library/lowercase', tag: 'Uppercase' }],
    ['sub-dom1.foo.com/bar/baz/quux', { domain: 'sub-dom1.foo.com', path: 'bar/baz/quux' }],
    ['sub-dom1.foo.com/bar/baz/quux:some-long-tag', { domain: 'sub-dom1.foo.com', path: 'bar/baz/quux', tag: 'some-long-tag' }],
    ['b.gcr.io/test.example.com/my-app:test.example.com', { domain: 'b.gcr.io', path: 'test.example.com/my-app', tag: 'test.example.com' }],
    ['xn--n3h.com/myimage:xn--n3h.com', { domain: 'xn--n3h.com', path: 'myimage', tag: 'xn--n3h.com' }],
    ['foo_bar.com:8080', { domain: 'docker.io', path: 'library/foo_bar.com', tag: '8080' }],
    ['foo/foo_bar.com:8080', { domain: 'docker.io', path: 'foo/foo_bar.com', tag: '8080' }],
    ['192.168.1.1/foo', { domain: '192.168.1.1', path: 'foo' }],
    ['192.168.1.1:5/foo', { domain: '192.168.1.1:5', path: 'foo' }],
    ['[2001:db8::1]/repo', { domain: '[2001:db8::1]', path: 'repo' }],
    ['[2001:db8::1]:5000/repo:tag', { domain: '[2001:db8::1]:5000', path: 'repo', tag: 'tag' }],
    ['localhost/app', { domain: 'localhost', path: 'app' }],
    ['localhost:5000/app', { domain: 'localhost:5000', path: 'app' }],
    ['a__b/c-d---e/f.g', { domain: 'docker.io', path: 'a__b/c-d---e/f.g' }],
    ['Foo.example.com/bar', { domain: 'Foo.example.com', path: 'bar' }],
    [`x:${'t'.repeat(128)}`, { domain: 'docker.io', path: 'library/x', tag: 't'.repeat(128) }],
  ];
  it.each(valid)('%s', (input, want) => {
    expect(parseNormalizedReference(input)).toEqual(want);
  });
});

describe('reference grammar: invalid references', () => {
  const invalid: [string, RegExp][] = [
    ['', /must have at least one component/],
    [':justtag', /invalid reference format/],
    [`@${SHA256}`, /invalid reference format/],
    ['repo@sha256:ffffffffffffffffffffffffffffffffff', /invalid reference format/],
    [`validname@invaliddigest:${H64}`, /unsupported digest algorithm "invaliddigest"/],
    ['Uppercase:tag', /repository name must be lowercase/],
    ['test:5000/Uppercase/lowercase:tag', /repository name must be lowercase/],
    ['aa/asdf$$^/aa', /invalid reference format/],
    ['a/' + 'a'.repeat(256), /must not be more than 255 characters/],
    [`x:${'t'.repeat(129)}`, /tag must be at most 128 characters/],
    ['repo:-tag', /tag must be letters/],
    ['-foo/bar', /invalid reference format/],
    ['foo-/bar', /invalid reference format/],
    ['foo//bar', /at least one component/],
    ['foo/', /invalid reference format/],
    [`repo@sha256:${H64.slice(1)}`, /invalid checksum digest length/],
    [`repo@sha256:${H64.toUpperCase()}`, /invalid checksum digest format/],
    [`repo@sha512:${H64}`, /invalid checksum digest length/],
    [H64, /image ID, not a repository name/],
    ['docker.io/Busybox', /must be lowercase/],
    ['foo bar', /invalid reference format/],
  ];
  it.each(invalid)('%j', (input, want) => {
    const e = errorOf(() => parseNormalizedReference(input));
    expect(e.kind).toBe('invalid');
    expect(e.message).toMatch(want);
    expect(e.message).toContain(JSON.stringify(input));
  });

  it('names the reference and the rule', () => {
    expect(() => parseNormalizedReference('Busybox')).toThrow(
      'invalid reference format: repository name must be lowercase: "Busybox"',
    );
  });
});

describe('normalization', () => {
  it('adds docker.io/library and :latest as Docker does', () => {
    expect(toString(parseDockerReference('busybox'))).toBe('docker.io/library/busybox:latest');
    expect(toString(parseDockerReference('user/app'))).toBe('docker.io/user/app:latest');
    expect(toString(parseDockerReference('docker.io/busybox:1.36'))).toBe('docker.io/library/busybox:1.36');
    expect(toString(parseDockerReference('index.docker.io/busybox'))).toBe('docker.io/library/busybox:latest');
    expect(toString(parseDockerReference('index.docker.io/user/app'))).toBe('docker.io/user/app:latest');
    expect(toString(parseDockerReference('quay.io/org/app'))).toBe('quay.io/org/app:latest');
  });

  it('keeps tag and digest in the normalized form but drops the tag in the Docker ref', () => {
    const both = `busybox:1.36@${SHA256}`;
    expect(parseNormalizedReference(both)).toMatchObject({ tag: '1.36', digest: SHA256 });
    expect(toString(parseDockerReference(both))).toBe(`docker.io/library/busybox@${SHA256}`);
    expect(toString(parseDockerReference(`busybox@${SHA256}`))).toBe(`docker.io/library/busybox@${SHA256}`);
  });

  it('treats an uppercase first component as a domain, like Docker', () => {
    expect(splitDomain('Foo/bar')).toEqual({ domain: 'Foo', remainder: 'bar' });
    expect(parseNormalizedReference('Foo/bar')).toEqual({ domain: 'Foo', path: 'bar' });
  });

  it('parses raw references without normalizing', () => {
    expect(parseRawReference('busybox:1')).toEqual({ domain: '', path: 'busybox', tag: '1' });
    expect(parseRawReference('user/app')).toEqual({ domain: '', path: 'user/app' });
    expect(parseRawReference('localhost/app')).toEqual({ domain: 'localhost', path: 'app' });
    expect(() => parseRawReference('Busybox')).toThrow(/must be lowercase/);
  });

  it('prints the familiar form', () => {
    expect(familiarString(parseDockerReference('busybox'))).toBe('busybox:latest');
    expect(familiarString(parseDockerReference('docker.io/user/app:v1'))).toBe('user/app:v1');
    expect(familiarName(parseNormalizedReference('docker.io/library/foo/bar'))).toBe('library/foo/bar');
    expect(familiarString(parseDockerReference('quay.io/org/app'))).toBe('quay.io/org/app:latest');
    expect(familiarString(parseDockerReference('localhost:5000/app@' + SHA256))).toBe(`localhost:5000/app@${SHA256}`);
  });

  it('formats name and string forms', () => {
    const ref = parseNormalizedReference(`quay.io/org/app:v1@${SHA256}`);
    expect(name(ref)).toBe('quay.io/org/app');
    expect(referenceToString(ref)).toBe(`quay.io/org/app:v1@${SHA256}`);
    expect(toString(parseRawReference('busybox'))).toBe('busybox');
  });
});

describe('short names and helpers', () => {
  it('detects short names', () => {
    expect(isShortName('busybox')).toBe(true);
    expect(isShortName('user/app:1')).toBe(true);
    expect(isShortName('localhost/app')).toBe(false);
    expect(isShortName('localhost:5000/app')).toBe(false);
    expect(isShortName('quay.io/app')).toBe(false);
    expect(isShortName('docker.io/busybox')).toBe(false);
    expect(isShortName(parseRawReference('user/app'))).toBe(true);
    expect(isShortName(parseNormalizedReference('user/app'))).toBe(false);
  });

  it('adds, replaces and validates tags and digests', () => {
    const ref = parseNormalizedReference('busybox');
    expect(withDefaultTag(ref).tag).toBe('latest');
    expect(withDefaultTag(withDigest(ref, SHA256)).tag).toBeUndefined();
    expect(withTag(ref, 'v2').tag).toBe('v2');
    expect(() => withTag(ref, '.bad')).toThrow(/invalid tag/);
    expect(() => withDigest(ref, 'sha256:abc')).toThrow(/invalid digest/);
    expect(isValidDigest(SHA512)).toBe(true);
    expect(isValidDigest(`md5:${H64}`)).toBe(false);
  });
});
