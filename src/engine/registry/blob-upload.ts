/**
 * The write side of the distribution API: does a blob exist (HEAD), cross-repository mount
 * (POST ?mount=&from=), monolithic upload (POST /blobs/uploads/ then PUT ?digest=), and PUT of a manifest.
 * Every request carries the push scope of the destination repository.
 */
import { Readable } from 'node:stream';
import { SelkieError } from '../errors.js';
import { header, pushScope, type RegistryClient } from './registry-client.js';

/** A path with query from an upload Location (absolute or relative), with `params` appended. */
function uploadPath(location: string | undefined, what: string, params: Record<string, string>): string {
  if (!location) throw new SelkieError('registry', `${what}: the registry did not say where to upload (no Location header)`);
  const url = new URL(location, 'http://registry.invalid');
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return `${url.pathname}${url.search}`;
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

  /** Monolithic upload of `size` bytes that `open` streams (called again on a retry), named `digest`. */
  async upload(digest: string, size: number, open: () => Readable | Buffer): Promise<void> {
    const what = `upload of blob ${digest} to ${this.repo} on ${this.client.host}`;
    const start = await this.client.request(`/v2/${this.repo}/blobs/uploads/`, { method: 'POST', scope: this.scope, accept: [201, 202], what });
    start.body.resume();
    const path = uploadPath(header(start, 'location'), what, { digest });
    const res = await this.client.request(path, {
      method: 'PUT',
      scope: this.scope,
      headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': String(size) },
      body: () => {
        const b = open();
        return Buffer.isBuffer(b) ? Readable.from([b]) : b;
      },
      accept: [201, 204],
      what,
    });
    res.body.resume();
    const stored = header(res, 'docker-content-digest');
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
