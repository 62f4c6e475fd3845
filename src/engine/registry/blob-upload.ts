/**
 * The write side of the distribution API: does a blob exist (HEAD), cross-repository mount
 * (POST ?mount=&from=), upload (POST /blobs/uploads/, then one PUT ?digest= with the whole blob, or
 * for a large blob PATCHes of chunks with Content-Range and a final empty PUT ?digest=), and PUT of a
 * manifest. Every request carries the push scope of the destination repository.
 */
import { Readable, Transform } from 'node:stream';
import { SelkieError } from '../errors.js';
import { header, pushScope, type RegistryClient } from './registry-client.js';

/** A path with query from an upload Location (absolute or relative), with `params` appended. */
function uploadPath(location: string | undefined, what: string, params: Record<string, string>): string {
  if (!location) throw new SelkieError('registry', `${what}: the registry did not say where to upload (no Location header)`);
  const url = new URL(location, 'http://registry.invalid');
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return `${url.pathname}${url.search}`;
}

const MiB = 1 << 20;

/** Chunk size of chunked uploads: SELKIE_PUSH_CHUNK_SIZE bytes, default 16 MiB. */
export function defaultChunkSize(): number {
  const n = Number(process.env.SELKIE_PUSH_CHUNK_SIZE);
  return Number.isInteger(n) && n > 0 ? n : 16 * MiB;
}

export interface UploadOptions {
  /** Called with the bytes of the blob sent so far. */
  onBytes?: (sent: number) => void;
  /** Blobs larger than twice this go up in chunks of this size (default defaultChunkSize()); 0: always in one PUT. */
  chunkSize?: number;
}

/** Reads exactly `n` bytes at a time from a stream (fewer only at its end). */
function exactReader(stream: Readable): (n: number) => Promise<Buffer> {
  const it = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let pending: Buffer = Buffer.alloc(0);
  return async (n) => {
    const parts: Buffer[] = [];
    let have = 0;
    while (have < n) {
      if (pending.length === 0) {
        const r = await it.next();
        if (r.done) break;
        pending = Buffer.isBuffer(r.value) ? r.value : Buffer.from(r.value);
      }
      const take = pending.subarray(0, n - have);
      parts.push(take);
      have += take.length;
      pending = pending.subarray(take.length);
    }
    return Buffer.concat(parts, have);
  };
}

export class BlobUploader {
  constructor(
    private readonly client: RegistryClient,
    private readonly repo: string,
    /** Repositories on this registry blobs may be mounted from (their pull scope is requested too). */
    private readonly mountFrom: readonly string[] = [],
  ) {}

  private get scope(): string {
    return pushScope(this.repo, this.mountFrom);
  }

  /** HEAD /v2/REPO/blobs/DIGEST: whether the destination repository already has the blob. */
  async exists(digest: string): Promise<boolean> {
    const res = await this.client.request(`/v2/${this.repo}/blobs/${digest}`, {
      method: 'HEAD',
      scope: this.scope,
      accept: [404],
      what: `blob ${digest} in ${this.repo} on ${this.client.host}`,
    });
    res.body.resume();
    return res.status === 200;
  }

  /** Cross-repository mount; true when the registry mounted it (201), false when it did not (then nothing is left open). */
  async mount(digest: string, from: string): Promise<boolean> {
    const q = new URLSearchParams({ mount: digest, from });
    const what = `mount of ${digest} from ${from} into ${this.repo} on ${this.client.host}`;
    const res = await this.client.request(`/v2/${this.repo}/blobs/uploads/?${q}`, { method: 'POST', scope: this.scope, accept: [201, 202, 404], what });
    res.body.resume();
    if (res.status === 201) return true;
    if (res.status === 202) await this.cancel(header(res, 'location'), what);
    return false;
  }

  /**
   * Uploads `size` bytes that `open` streams (called again on a retry), named `digest`: in one PUT,
   * or in chunks when the blob is larger than twice the chunk size.
   */
  async upload(digest: string, size: number, open: () => Readable | Buffer, o: UploadOptions = {}): Promise<void> {
    const what = `upload of blob ${digest} to ${this.repo} on ${this.client.host}`;
    const start = await this.client.request(`/v2/${this.repo}/blobs/uploads/`, { method: 'POST', scope: this.scope, accept: [201, 202], what });
    start.body.resume();
    const chunk = o.chunkSize ?? defaultChunkSize();
    if (chunk > 0 && size > 2 * chunk) return this.uploadChunks(header(start, 'location'), digest, size, open, chunk, what, o.onBytes);
    const path = uploadPath(header(start, 'location'), what, { digest });
    const res = await this.client.request(path, {
      method: 'PUT',
      scope: this.scope,
      headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': String(size) },
      body: () => {
        const b = open();
        const src = Buffer.isBuffer(b) ? Readable.from([b]) : b;
        if (!o.onBytes) return src;
        let sent = 0;
        const onBytes = o.onBytes;
        const meter = new Transform({
          transform(c: Buffer, _e, cb) {
            sent += c.length;
            onBytes(sent);
            cb(null, c);
          },
        });
        src.on('error', (e) => meter.destroy(e));
        return src.pipe(meter);
      },
      accept: [201, 204],
      what,
    });
    res.body.resume();
    this.checkStored(res, digest, what);
  }

  /**
   * PATCH chunk after chunk (Content-Range start-end), then PUT ?digest= with no body. Each chunk is
   * held in memory so a retry can send it again; when a broken PATCH left part of it on the registry
   * (416), the upload's status (GET, Range: 0-N) tells where to go on from.
   */
  private async uploadChunks(location: string | undefined, digest: string, size: number, open: () => Readable | Buffer, chunk: number, what: string, onBytes?: (sent: number) => void): Promise<void> {
    let loc = location;
    const b = open();
    const stream = Buffer.isBuffer(b) ? Readable.from([b]) : b;
    try {
      const read = exactReader(stream);
      let offset = 0;
      while (offset < size) {
        const buf = await read(Math.min(chunk, size - offset));
        if (buf.length === 0) throw new SelkieError('registry', `${what}: the source ended after ${offset} of ${size} bytes`);
        let from = 0;
        for (let attempt = 0; from < buf.length; attempt++) {
          const part = buf.subarray(from);
          const first = offset + from;
          const res = await this.client.request(uploadPath(loc, what, {}), {
            method: 'PATCH',
            scope: this.scope,
            headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': String(part.length), 'Content-Range': `${first}-${first + part.length - 1}` },
            body: part,
            accept: [202, 204, 416],
            what,
          });
          res.body.resume();
          loc = header(res, 'location') ?? loc;
          if (res.status !== 416) break;
          const have = await this.uploadedBytes(loc, what);
          if (attempt >= this.client.retryCount || have < offset || have > offset + buf.length) {
            throw new SelkieError('registry', `${what}: the registry refused the chunk at ${first} (it has ${have} bytes)`, { hint: 'try the push again' });
          }
          this.client.debug(`${what}: the registry has ${have} bytes; going on from there`);
          from = have - offset;
        }
        offset += buf.length;
        onBytes?.(offset);
      }
    } finally {
      stream.destroy();
    }
    const res = await this.client.request(uploadPath(loc, what, { digest }), { method: 'PUT', scope: this.scope, headers: { 'Content-Length': '0' }, accept: [201, 204], what });
    res.body.resume();
    this.checkStored(res, digest, what);
  }

  /** How many bytes an upload session holds (GET of its location: Range "0-N"). */
  private async uploadedBytes(location: string | undefined, what: string): Promise<number> {
    const res = await this.client.request(uploadPath(location, what, {}), { scope: this.scope, accept: [204], what });
    res.body.resume();
    const m = /^(?:bytes=)?0-(\d+)$/.exec(header(res, 'range') ?? '');
    return m ? Number(m[1]) + 1 : 0;
  }

  private checkStored(res: { headers: Record<string, unknown> }, digest: string, what: string): void {
    const v = res.headers['docker-content-digest'];
    const stored = Array.isArray(v) ? String(v[0]) : typeof v === 'string' ? v : undefined;
    if (stored && stored !== digest) throw new SelkieError('registry', `${what}: the registry stored digest ${stored}, not ${digest}`);
  }

  /** PUT /v2/REPO/manifests/REFERENCE; returns the manifest's digest as the registry names it. */
  async putManifest(reference: string, raw: Buffer, mediaType: string, digest: string): Promise<string> {
    const what = `manifest ${this.repo}:${reference} on ${this.client.host}`;
    const res = await this.client.request(`/v2/${this.repo}/manifests/${reference}`, {
      method: 'PUT',
      scope: this.scope,
      headers: { 'Content-Type': mediaType, 'Content-Length': String(raw.length) },
      body: raw,
      accept: [201, 202, 204],
      what,
    });
    res.body.resume();
    const stored = header(res, 'docker-content-digest');
    if (stored && stored !== digest) throw new SelkieError('registry', `${what}: the registry stored digest ${stored}, not ${digest}`);
    return digest;
  }

  private async cancel(location: string | undefined, what: string): Promise<void> {
    if (!location) return;
    try {
      const res = await this.client.request(uploadPath(location, what, {}), { method: 'DELETE', scope: this.scope, accept: [204, 404, 405], what });
      res.body.resume();
    } catch {
      /* an abandoned upload session expires on its own */
    }
  }
}
