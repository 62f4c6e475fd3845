import { describe, expect, it } from 'vitest';
import { parseTransportRef, transportOf, transportRefToString } from '../../../src/engine/images/transport-ref.js';

const SHA256 = `sha256:${'ab'.repeat(32)}`;

describe('transport references', () => {
  it('recognizes transport prefixes but not registry ports', () => {
    expect(transportOf('docker://busybox')).toBe('docker');
    expect(transportOf('oci:/tmp/x')).toBe('oci');
    expect(transportOf('localhost:5000/app')).toBeUndefined();
    expect(transportOf('busybox:latest')).toBeUndefined();
    expect(transportOf('busybox')).toBeUndefined();
  });

  it('parses docker:// with Docker normalization', () => {
    expect(parseTransportRef('docker://busybox')).toEqual({
      transport: 'docker',
      reference: { domain: 'docker.io', path: 'library/busybox', tag: 'latest' },
    });
    expect(parseTransportRef(`docker://quay.io/org/app@${SHA256}`)).toEqual({
      transport: 'docker',
      reference: { domain: 'quay.io', path: 'org/app', digest: SHA256 },
    });
    expect(() => parseTransportRef('docker:busybox')).toThrow(/must start with docker:\/\//);
    expect(() => parseTransportRef('docker://Busybox')).toThrow(/must be lowercase/);
  });

  it('parses oci and oci-archive with an optional reference', () => {
    expect(parseTransportRef('oci:/tmp/layout')).toEqual({ transport: 'oci', path: '/tmp/layout' });
    expect(parseTransportRef('oci:/tmp/layout:v1.0')).toEqual({ transport: 'oci', path: '/tmp/layout', image: 'v1.0' });
    expect(parseTransportRef('oci-archive:/tmp/a.tar:my/img:tag')).toEqual({
      transport: 'oci-archive',
      path: '/tmp/a.tar',
      image: 'my/img:tag',
    });
    expect(() => parseTransportRef('oci::tag')).toThrow(/needs a path/);
    expect(() => parseTransportRef('oci:/tmp/x:bad name')).toThrow(/not a valid OCI reference name/);
  });

  it('parses docker-archive with a name or a source index', () => {
    expect(parseTransportRef('docker-archive:/tmp/a.tar')).toEqual({ transport: 'docker-archive', path: '/tmp/a.tar' });
    expect(parseTransportRef('docker-archive:/tmp/a.tar:busybox')).toEqual({
      transport: 'docker-archive',
      path: '/tmp/a.tar',
      reference: { domain: 'docker.io', path: 'library/busybox', tag: 'latest' },
    });
    expect(parseTransportRef('docker-archive:/tmp/a.tar:@1')).toEqual({ transport: 'docker-archive', path: '/tmp/a.tar', sourceIndex: 1 });
    expect(() => parseTransportRef('docker-archive:/tmp/a.tar:@x')).toThrow(/source index/);
    expect(() => parseTransportRef(`docker-archive:/tmp/a.tar:busybox@${SHA256}`)).toThrow(/cannot contain a digest/);
  });

  it('parses containers-storage with an optional store spec, and dir', () => {
    expect(parseTransportRef('containers-storage:busybox')).toEqual({ transport: 'containers-storage', image: 'busybox' });
    expect(parseTransportRef('containers-storage:[overlay@/var/lib/x+/run/x]quay.io/a/b:1')).toEqual({
      transport: 'containers-storage',
      store: 'overlay@/var/lib/x+/run/x',
      image: 'quay.io/a/b:1',
    });
    expect(() => parseTransportRef('containers-storage:[overlay@/x')).toThrow(/not closed/);
    expect(() => parseTransportRef('containers-storage:')).toThrow(/needs an image/);
    expect(parseTransportRef('dir:/tmp/img')).toEqual({ transport: 'dir', path: '/tmp/img' });
    expect(() => parseTransportRef('dir:')).toThrow(/needs a path/);
  });

  it('refuses unknown transports and round-trips to strings', () => {
    expect(() => parseTransportRef('ftp:/x')).toThrow(/unknown transport/);
    for (const s of [
      'docker://docker.io/library/busybox:latest',
      'oci:/tmp/l:v1',
      'oci-archive:/tmp/a.tar',
      'docker-archive:/tmp/a.tar:@0',
      'docker-archive:/tmp/a.tar:docker.io/library/busybox:latest',
      'containers-storage:[vfs@/a+/b]busybox',
      'dir:/tmp/d',
    ]) {
      expect(transportRefToString(parseTransportRef(s))).toBe(s);
    }
  });
});
