/**
 * Chunked uploads: with a small SELKIE_PUSH_CHUNK_SIZE, push POSTs, PATCHes the layer chunk by chunk
 * (Content-Range), and finishes with an empty PUT ?digest=. A proxy in front of the plain registry
 * records the requests and injects faults: a connection reset on one PATCH (the chunk is sent again)
 * and a 416 on another (the client asks the upload's status and goes on from the registry's offset).
 */
import fs from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useFixtures } from '../../fixtures/inject.js';
import { busyboxTar } from '../../helpers/selkie-cli.js';
import { makePullEnv, type PullEnv } from './pull-helpers.js';

const fx = useFixtures();
const { plain } = fx.registries;

interface Proxy {
  host: string;
  requests: string[];
  /** PATCH numbers (1-based) to fail: 'reset' drops the connection, '416' answers Range Not Satisfiable. */
  faults: Map<number, 'reset' | '416'>;
  /** PATCH requests seen so far. */
  patchCount(): number;
  close(): Promise<void>;
}

async function startProxy(upstream: string): Promise<Proxy> {
  const [uhost, uport] = upstream.split(':') as [string, string];
  const requests: string[] = [];
  const faults = new Map<number, 'reset' | '416'>();
  let patches = 0;
  const sockets = new Set<net.Socket>();
  const server = http.createServer((req, res) => {
    const range = req.headers['content-range'];
    requests.push(`${req.method} ${req.url!.replace(/\?.*$/, '')}${range ? ` ${range}` : ''}${req.headers['content-length'] !== undefined ? ` len=${req.headers['content-length']}` : ''}`);
    if (req.method === 'PATCH') {
      const fault = faults.get(++patches);
      if (fault === 'reset') return void req.socket.destroy();
      if (fault === '416') {
        req.resume();
        return void req.on('end', () => res.writeHead(416, { 'Content-Length': 0 }).end());
      }
    }
    const up = http.request({ host: uhost, port: Number(uport), method: req.method, path: req.url, headers: req.headers }, (ur) => {
      res.writeHead(ur.statusCode ?? 502, ur.headers);
      ur.pipe(res);
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    host: `127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    requests,
    faults,
    patchCount: () => patches,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

let s: PullEnv;
let proxy: Proxy;
let imageId = '';
beforeAll(async () => {
  s = makePullEnv();
  proxy = await startProxy(plain.host);
  const tar = path.join(path.dirname(s.root), 'busybox.tar');
  fs.writeFileSync(tar, await busyboxTar());
  const r = await s.sk(['import', tar, 'localhost/chunkbox:1']);
  expect(r.code).toBe(0);
  imageId = r.stdout.trim().replace(/^sha256:/, '');
}, 120_000);
afterAll(async () => {
  await proxy?.close();
  await s?.cleanup();
});

const CHUNK = 128 * 1024;

async function pullBack(ref: string): Promise<string> {
  const other = makePullEnv();
  try {
    const p = await other.sk(['pull', '-q', '--tls-verify=false', ref]);
    expect(p.stderr).toBe('');
    return p.stdout.trim();
  } finally {
    await other.cleanup();
  }
}

describe('chunked upload', () => {
  it('PATCHes a large blob in Content-Range chunks, then PUTs the digest', async () => {
    proxy.requests.length = 0;
    const r = await s.sk(['push', '-q', '--tls-verify=false', 'localhost/chunkbox:1', `${proxy.host}/chunked/box:1`], { env: { SELKIE_PUSH_CHUNK_SIZE: String(CHUNK) } });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const patches = proxy.requests.filter((l) => l.startsWith('PATCH'));
    expect(patches.length).toBeGreaterThan(2);
    patches.forEach((l, i) => {
      const m = / (\d+)-(\d+) len=(\d+)$/.exec(l)!;
      expect(Number(m[1])).toBe(i * CHUNK);
      expect(Number(m[3])).toBe(Number(m[2]) - Number(m[1]) + 1);
    });
    const last = proxy.requests.findIndex((l) => l.startsWith('PATCH')) + patches.length;
    expect(proxy.requests[last]).toMatch(/^PUT \/v2\/chunked\/box\/blobs\/uploads\/[^ ]+ len=0$/);
    // The config is small: one monolithic PUT.
    expect(proxy.requests.filter((l) => /^PUT .*\/blobs\/uploads\/.* len=[1-9]/.test(l))).toHaveLength(1);
    expect(await pullBack(`${plain.host}/chunked/box:1`)).toBe(imageId);
  });

  it('sends a chunk again after a reset, and goes on from the registry offset after a 416', async () => {
    const e = makePullEnv();
    try {
      // A fresh store: the image has no repository digests on this registry, so nothing can be mounted.
      const imported = await e.sk(['import', path.join(path.dirname(s.root), 'busybox.tar'), 'localhost/chunkbox:2']);
      expect(imported.code).toBe(0);
      proxy.requests.length = 0;
      proxy.faults.set(proxy.patchCount() + 2, 'reset');
      proxy.faults.set(proxy.patchCount() + 4, '416');
      const r = await e.sk(['--log-level=debug', 'push', '-q', '--tls-verify=false', 'localhost/chunkbox:2', `${proxy.host}/chunked/faulty:1`], { env: { SELKIE_PUSH_CHUNK_SIZE: String(CHUNK) } });
      expect(r.code, r.stderr).toBe(0);
      const patches = proxy.requests.filter((l) => l.startsWith('PATCH'));
      // The reset chunk is sent twice; so is the refused one, after a GET of the upload's status.
      const starts = patches.map((l) => Number(/ (\d+)-\d+ len=/.exec(l)![1]));
      expect(starts.slice(0, 5)).toEqual([0, CHUNK, CHUNK, 2 * CHUNK, 2 * CHUNK]);
      expect(proxy.requests.some((l) => /^GET \/v2\/chunked\/faulty\/blobs\/uploads\//.test(l))).toBe(true);
      expect(r.stderr).toMatch(/the registry has \d+ bytes; going on from there/);
      expect(await pullBack(`${plain.host}/chunked/faulty:1`)).toBe(imported.stdout.trim().replace(/^sha256:/, ''));
    } finally {
      await e.cleanup();
    }
  });

  it('small blobs (or the default chunk size) go up in one PUT', async () => {
    const e = makePullEnv();
    try {
      expect((await e.sk(['import', path.join(path.dirname(s.root), 'busybox.tar'), 'localhost/chunkbox:3'])).code).toBe(0);
      proxy.requests.length = 0;
      const r = await e.sk(['push', '-q', '--tls-verify=false', 'localhost/chunkbox:3', `${proxy.host}/chunked/whole:1`]);
      expect(r.code, r.stderr).toBe(0);
      expect(proxy.requests.filter((l) => l.startsWith('PATCH'))).toEqual([]);
      expect(proxy.requests.filter((l) => /^PUT .*\/blobs\/uploads\/.* len=[1-9]/.test(l))).toHaveLength(2);
    } finally {
      await e.cleanup();
    }
  });
});
