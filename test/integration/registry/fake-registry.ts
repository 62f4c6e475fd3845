/**
 * A tiny in-process registry for failure tests: one small valid image per repository, served as
 * each repository's misbehaviour dictates (bad digest, truncated blob, hanging, huge or unknown manifest...).
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type net from 'node:net';
import zlib from 'node:zlib';
import tar from 'tar-stream';

const sha = (b: Buffer | string) => `sha256:${crypto.createHash('sha256').update(b).digest('hex')}`;

async function tarOf(files: Record<string, string>): Promise<Buffer> {
  const pack = tar.pack();
  for (const [name, content] of Object.entries(files)) pack.entry({ name, mode: 0o644, mtime: new Date(0) }, content);
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const c of pack) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

export interface FakeRegistry {
  host: string;
  /** Requests seen: "GET /v2/...", with the Range header when there was one. */
  requests: string[];
  close(): Promise<void>;
}

export async function startFakeRegistry(): Promise<FakeRegistry> {
  const layerTar = await tarOf({ 'hello.txt': 'hello from the fake registry\n'.repeat(2000) });
  const layer = zlib.gzipSync(layerTar);
  const diffId = sha(layerTar);
  const mkConfig = (diff: string) => Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', config: { Cmd: ['sh'] }, rootfs: { type: 'layers', diff_ids: [diff] } }));
  const good = mkConfig(diffId);
  const wrongDiff = mkConfig(sha('not the layer'));
  const manifestFor = (config: Buffer, mediaType = 'application/vnd.oci.image.manifest.v1+json') =>
    Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType,
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha(config), size: config.length },
        layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: sha(layer), size: layer.length }],
      }),
    );
  const blobs = new Map<string, Buffer>([
    [sha(layer), layer],
    [sha(good), good],
    [sha(wrongDiff), wrongDiff],
  ]);
  const requests: string[] = [];
  const flakyServed = new Set<string>();
  const sockets = new Set<net.Socket>();

  const server = http.createServer((req, res) => {
    requests.push(`${req.method} ${req.url}${req.headers.range ? ` ${req.headers.range}` : ''}`);
    const stored = /^\/storage\/(sha256:[0-9a-f]{64})$/.exec(req.url ?? '');
    if (stored) {
      const b = blobs.get(stored[1]!);
      return void (b ? res.writeHead(200, { 'Content-Length': b.length }).end(b) : res.writeHead(404).end());
    }
    const m = /^\/v2\/([^/]+)\/(manifests|blobs)\/(.+)$/.exec(req.url ?? '');
    if (req.url === '/v2/') return void res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
    if (!m) return void res.writeHead(404).end();
    const [, repo, kind, ref] = m as unknown as [string, string, string, string];
    if (kind === 'manifests') {
      if (repo === 'hang') return; // never answers
      let body: Buffer;
      let type = 'application/vnd.oci.image.manifest.v1+json';
      if (repo === 'oversize') body = Buffer.from(JSON.stringify({ schemaVersion: 2, pad: 'x'.repeat(5 << 20) }));
      else if (repo === 'unknown') {
        type = 'application/vnd.example.thing+json';
        body = manifestFor(good, type);
      } else body = manifestFor(repo === 'diffid' ? wrongDiff : good);
      res.writeHead(200, { 'Content-Type': type, 'Content-Length': body.length, 'Docker-Content-Digest': sha(body) });
      return void res.end(req.method === 'HEAD' ? undefined : body);
    }
    if (repo === 'redirect') return void res.writeHead(307, { Location: `/storage/${ref}` }).end();
    const blob = blobs.get(ref);
    if (!blob) return void res.writeHead(404).end();
    const isLayer = ref === sha(layer);
    if (isLayer && repo === 'mismatch') {
      const bad = Buffer.from(blob);
      bad[bad.length - 20] ^= 0xff;
      return void res.writeHead(200, { 'Content-Length': bad.length }).end(bad);
    }
    if (isLayer && repo === 'truncated') {
      res.writeHead(200, { 'Content-Length': blob.length });
      res.write(blob.subarray(0, blob.length >> 1));
      return void setTimeout(() => res.destroy(), 100);
    }
    if (isLayer && repo === 'flaky' && !flakyServed.has(ref)) {
      flakyServed.add(ref);
      res.writeHead(200, { 'Content-Length': blob.length, 'Accept-Ranges': 'bytes' });
      res.write(blob.subarray(0, blob.length >> 1));
      return void setTimeout(() => res.destroy(), 100);
    }
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    if (range && repo === 'flaky') {
      const start = Number(range[1]);
      res.writeHead(206, { 'Content-Length': blob.length - start, 'Content-Range': `bytes ${start}-${blob.length - 1}/${blob.length}` });
      return void res.end(blob.subarray(start));
    }
    res.writeHead(200, { 'Content-Length': blob.length });
    res.end(blob);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  return {
    host: `127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
