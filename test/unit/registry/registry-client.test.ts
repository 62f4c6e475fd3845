import crypto from 'node:crypto';
import http from 'node:http';
import type net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryClient } from '../../../src/engine/registry/registry-client.js';

const sha = (b: Buffer) => `sha256:${crypto.createHash('sha256').update(b).digest('hex')}`;
const blob = Buffer.from('{"hello":"world"}');
const blobDigest = sha(blob);

let server: http.Server;
let host = '';
const counts = { token: 0, flaky: 0 };
const basicAuth = `Basic ${Buffer.from('u:p').toString('base64')}`;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/token') {
      counts.token++;
      setTimeout(() => res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ token: `t${counts.token}`, expires_in: 300 })), 20);
      return;
    }
    const [, , repo, kind, ref] = url.pathname.split('/');
    if (repo === 'bearer') {
      if (!/^Bearer t\d+$/.test(req.headers.authorization ?? '')) {
        res.writeHead(401, { 'WWW-Authenticate': `Bearer realm="http://${host}/token",service="test"` }).end();
        return;
      }
    } else if (repo === 'basic') {
      if (req.headers.authorization !== basicAuth) {
        res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="test"', 'Content-Type': 'application/json' }).end('{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}');
        return;
      }
    } else if (repo === 'flaky' && counts.flaky++ < 2) {
      res.writeHead(503).end();
      return;
    }
    if (kind === 'manifests' && ref === 'v1') {
      const body = JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: {}, layers: [] });
      res.writeHead(200, { 'Content-Type': 'application/vnd.oci.image.manifest.v1+json', 'Content-Length': Buffer.byteLength(body), 'Docker-Content-Digest': sha(Buffer.from(body)) });
      return void res.end(req.method === 'HEAD' ? undefined : body);
    }
    if (kind === 'blobs' && ref === blobDigest) return void res.writeHead(200, { 'Content-Length': blob.length }).end(blob);
    res.writeHead(404, { 'Content-Type': 'application/json' }).end('{"errors":[{"code":"BLOB_UNKNOWN","message":"blob unknown"}]}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  host = `127.0.0.1:${(server.address() as net.AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const client = (o: { creds?: { username: string; password: string } } = {}) =>
  new RegistryClient({ host, insecure: true, tls: { verify: false, ca: [] }, retries: 3, timeoutMs: 5000, ...o });

describe('RegistryClient', () => {
  it('falls back to http for an insecure registry and shares one bearer token between concurrent requests', async () => {
    const c = client();
    const before = counts.token;
    const bufs = await Promise.all([1, 2, 3, 4, 5].map(() => c.getBlobBuffer('bearer', blobDigest, 1 << 20, 'blob')));
    expect(bufs.every((b) => b.equals(blob))).toBe(true);
    await c.getBlobBuffer('bearer', blobDigest, 1 << 20, 'blob');
    expect(counts.token - before).toBe(1);
  });

  it('basic auth: credentials after the challenge; without them, a login hint', async () => {
    expect((await client({ creds: { username: 'u', password: 'p' } }).getBlobBuffer('basic', blobDigest, 1 << 20, 'blob')).equals(blob)).toBe(true);
    await expect(client().getBlobBuffer('basic', blobDigest, 1 << 20, 'blob')).rejects.toThrow(`authentication required for ${host}: run selkie login ${host}`);
    await expect(client({ creds: { username: 'u', password: 'wrong' } }).getBlobBuffer('basic', blobDigest, 1 << 20, 'blob')).rejects.toThrow(
      `authentication to ${host} failed: UNAUTHORIZED: authentication required`,
    );
  });

  it('retries transient server errors with back-off', async () => {
    expect((await client().getBlobBuffer('flaky', blobDigest, 1 << 20, 'blob')).equals(blob)).toBe(true);
    expect(counts.flaky).toBe(3);
  });

  it('GET and HEAD a manifest by tag and by digest', async () => {
    const c = client();
    const m = await c.getManifest('bearer', 'v1');
    expect(m.mediaType).toBe('application/vnd.oci.image.manifest.v1+json');
    expect(m.digest).toBe(sha(m.raw));
    const h = await c.headManifest('bearer', 'v1');
    expect(h).toEqual({ digest: m.digest, mediaType: m.mediaType, size: m.raw.length });
    await expect(c.getManifest('bearer', `sha256:${'1'.repeat(64)}`)).rejects.toMatchObject({ kind: 'not-found' });
  });

  it('reports a missing blob as not found with the registry message', async () => {
    const missing = `sha256:${'0'.repeat(64)}`;
    await expect(client().getBlobBuffer('plain', missing, 1 << 20, `blob ${missing}`)).rejects.toMatchObject({
      kind: 'not-found',
      message: `blob ${missing} not found: BLOB_UNKNOWN: blob unknown`,
    });
  });
});
