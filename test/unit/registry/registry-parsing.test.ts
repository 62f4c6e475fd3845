import { describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseWwwAuthenticate } from '../../../src/engine/registry/www-authenticate.js';
import { VerifyingStream, digestOf, parseDigest, verifyBuffer } from '../../../src/engine/registry/digest.js';
import { parsePlatform, selectPlatform, wantedPlatform, type IndexEntry } from '../../../src/engine/registry/platform.js';
import { manifestKind } from '../../../src/engine/registry/media-types.js';
import { loginKey } from '../../../src/engine/registry/login.js';
import { parseCreds } from '../../../src/engine/registry/registry-access.js';

describe('WWW-Authenticate', () => {
  it('parses a bearer challenge with quoted parameters', () => {
    const c = parseWwwAuthenticate('Bearer realm="https://auth.example.com/token",service="registry.example.com",scope="repository:a/b:pull,push"');
    expect(c).toEqual([
      { scheme: 'bearer', params: { realm: 'https://auth.example.com/token', service: 'registry.example.com', scope: 'repository:a/b:pull,push' } },
    ]);
  });
  it('parses basic, unquoted values, escapes and several challenges', () => {
    expect(parseWwwAuthenticate('Basic realm=x')).toEqual([{ scheme: 'basic', params: { realm: 'x' } }]);
    expect(parseWwwAuthenticate('Basic realm="a \\"b\\"", Bearer realm="r", service=s')).toEqual([
      { scheme: 'basic', params: { realm: 'a "b"' } },
      { scheme: 'bearer', params: { realm: 'r', service: 's' } },
    ]);
    expect(parseWwwAuthenticate(undefined)).toEqual([]);
    expect(parseWwwAuthenticate('')).toEqual([]);
  });
});

describe('digests', () => {
  const data = Buffer.from('hello\n');
  const sha256 = digestOf(data);
  const sha512 = digestOf(data, 'sha512');

  it('parses sha256 and sha512 and refuses others', () => {
    expect(parseDigest(sha256).algorithm).toBe('sha256');
    expect(parseDigest(sha512).algorithm).toBe('sha512');
    expect(() => parseDigest('md5:abcd')).toThrow(/unsupported or malformed digest/);
    expect(() => parseDigest('sha256:abc')).toThrow(/malformed sha256 digest/);
  });

  it('verifies buffers', () => {
    expect(() => verifyBuffer(data, sha256, 'x')).not.toThrow();
    expect(() => verifyBuffer(data, sha512, 'x')).not.toThrow();
    expect(() => verifyBuffer(Buffer.from('other'), sha256, 'blob x')).toThrow(/blob x: digest mismatch: expected sha256:/);
  });

  const run = async (input: Buffer, digest: string, size?: number) => {
    const src = new PassThrough();
    src.end(input);
    const sink = new PassThrough();
    sink.resume();
    await pipeline(src, new VerifyingStream(digest, 'layer', size), sink);
  };
  it('a verifying stream fails at the end on a mismatch or a wrong size', async () => {
    await expect(run(data, sha256, data.length)).resolves.toBeUndefined();
    await expect(run(Buffer.from('hellO\n'), sha256)).rejects.toThrow(/digest mismatch/);
    await expect(run(data.subarray(0, 3), sha256, data.length)).rejects.toThrow(/expected 6 bytes, got 3/);
  });
});

describe('platforms', () => {
  const e = (os: string, architecture: string, variant?: string): IndexEntry => ({
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    digest: `sha256:${(os + architecture + (variant ?? '')).padEnd(64, '0').slice(0, 64).replace(/[^0-9a-f]/g, 'a')}`,
    size: 1,
    platform: { os, architecture, ...(variant ? { variant } : {}) },
  });
  const index = [e('linux', 'arm', 'v6'), e('linux', 'arm', 'v7'), e('linux', 'amd64'), e('linux', 'arm64', 'v8'), e('windows', 'amd64')];

  it('parses --platform and normalizes aliases', () => {
    expect(parsePlatform('linux/arm64')).toEqual({ os: 'linux', architecture: 'arm64' });
    expect(parsePlatform('linux/aarch64/v8')).toEqual({ os: 'linux', architecture: 'arm64' });
    expect(parsePlatform('linux/arm/v7')).toEqual({ os: 'linux', architecture: 'arm', variant: 'v7' });
    expect(() => parsePlatform('arm64')).toThrow(/invalid platform/);
    expect(wantedPlatform({ platform: 'linux/amd64', arch: 'arm64' })).toEqual({ os: 'linux', architecture: 'arm64' });
    expect(wantedPlatform({ os: 'linux', arch: 'x86_64' })).toEqual({ os: 'linux', architecture: 'amd64' });
  });

  it('selects by os, architecture and variant', () => {
    expect(selectPlatform(index, { os: 'linux', architecture: 'amd64' }, 'x')).toBe(index[2]);
    expect(selectPlatform(index, { os: 'linux', architecture: 'arm64' }, 'x')).toBe(index[3]);
    expect(selectPlatform(index, { os: 'linux', architecture: 'arm', variant: 'v7' }, 'x')).toBe(index[1]);
    expect(selectPlatform(index, { os: 'windows', architecture: 'amd64' }, 'x')).toBe(index[4]);
    // v8 is not offered for arm: fall back to the newest compatible variant
    expect(selectPlatform(index, { os: 'linux', architecture: 'arm', variant: 'v8' }, 'x')).toBe(index[1]);
    expect(() => selectPlatform(index, { os: 'linux', architecture: 's390x' }, 'img')).toThrow(/no image for platform linux\/s390x in img/);
  });
});

describe('misc', () => {
  it('classifies manifest media types and refuses unknown ones', () => {
    expect(manifestKind('application/vnd.oci.image.index.v1+json', 'x')).toBe('index');
    expect(manifestKind('application/vnd.docker.distribution.manifest.v2+json', 'x')).toBe('manifest');
    expect(() => manifestKind('application/vnd.example+json', 'img')).toThrow(/unsupported manifest media type "application\/vnd.example\+json" for img/);
  });
  it('normalizes login servers and --creds', () => {
    expect(loginKey('https://registry.example.com:5000/v2/')).toBe('registry.example.com:5000');
    expect(loginKey('index.docker.io')).toBe('docker.io');
    expect(loginKey('quay.io/team')).toBe('quay.io/team');
    expect(parseCreds('a:b:c')).toEqual({ username: 'a', password: 'b:c' });
    expect(() => parseCreds('nopass')).toThrow(/USERNAME:PASSWORD/);
  });
});
