/**
 * A client for one registry host over the distribution API v2: manifests, blobs and tags, with
 * authentication (registry-auth.ts), retries with back-off for transient failures, and the scheme
 * choice for insecure registries (https without verification first, then plain http, as containers/image).
 */
import { SelkieError, isSelkieError } from '../errors.js';
import type { Credentials } from '../config/auth-file.js';
import { httpRequest, readBody, TransportError, type HttpRequest, type HttpResponse } from './http-transport.js';
import { MANIFEST_ACCEPT, MANIFEST_SIZE_LIMIT, bareMediaType } from './media-types.js';
import { RegistryAuth, authRefused, authRequired } from './registry-auth.js';
import type { TlsSettings } from './tls-config.js';
import { digestOf, parseDigest, verifyBuffer } from './digest.js';
import { rememberScheme, rememberedScheme, type Scheme } from './scheme-memory.js';

export interface RegistryClientOptions {
  host: string;
  /** Plain http may be used (registries.conf insecure, --tls-verify=false). */
  insecure: boolean;
  tls: TlsSettings;
  creds?: Credentials;
  /** Per request: headers, and every pause in a body. Default 30 s (SELKIE_REGISTRY_TIMEOUT seconds). */
  timeoutMs?: number;
  /** Extra attempts after a transient failure. Default 3 (SELKIE_REGISTRY_RETRIES). */
  retries?: number;
  log?: (msg: string) => void;
}

export interface FetchedManifest {
  raw: Buffer;
  mediaType: string;
  digest: string;
}

export interface RequestOptions {
  method?: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  headers?: Record<string, string>;
  body?: HttpRequest['body'];
  /** Token scope, e.g. "repository:library/busybox:pull". */
  scope?: string;
  /** Statuses returned to the caller rather than thrown (200 and 206 always are). */
  accept?: number[];
  what: string;
}

const envNumber = (name: string): number | undefined => {
  const v = Number(process.env[name]);
  return process.env[name] !== undefined && Number.isFinite(v) && v >= 0 ? v : undefined;
};

export const pullScope = (repo: string): string => `repository:${repo}:pull`;
/** Push (and pull) of `repo`, plus pull of the repositories blobs may be mounted from; space-separated. */
export const pushScope = (repo: string, mountFrom: readonly string[] = []): string =>
  [`repository:${repo}:pull,push`, ...mountFrom.filter((r) => r !== repo).map(pullScope)].join(' ');

export class RegistryClient {
  readonly host: string;
  readonly auth: RegistryAuth;
  private scheme?: 'https' | 'http';
  private readonly timeoutMs: number;
  private readonly retries: number;

  constructor(private readonly opts: RegistryClientOptions) {
    this.host = opts.host;
    this.timeoutMs = opts.timeoutMs ?? (envNumber('SELKIE_REGISTRY_TIMEOUT') ?? 30) * 1000;
    this.retries = opts.retries ?? envNumber('SELKIE_REGISTRY_RETRIES') ?? 3;
    this.auth = new RegistryAuth(opts.host, opts.creds, { tls: opts.tls, timeoutMs: this.timeoutMs, log: opts.log });
  }

  /** One request with auth, scheme fallback and retries; throws SelkieErrors for failure statuses. */
  async request(path: string, o: RequestOptions): Promise<HttpResponse> {
    let authRetried = false;
    for (let attempt = 0; ; attempt++) {
      let res: HttpResponse;
      const auth = await this.auth.header(o.scope);
      try {
        res = await this.send(path, o, auth);
      } catch (e) {
        if (e instanceof TransportError && e.transient && attempt < this.retries) {
          await backoff(attempt);
          continue;
        }
        throw e;
      }
      if (res.status === 401 && !authRetried) {
        res.body.resume();
        authRetried = true;
        if (this.auth.onUnauthorized(header(res, 'www-authenticate'), auth !== undefined)) {
          attempt--;
          continue;
        }
      }
      if (res.status === 200 || res.status === 206 || o.accept?.includes(res.status)) return res;
      if ((res.status >= 500 || res.status === 429) && attempt < this.retries) {
        res.body.resume();
        await backoff(attempt, Number(header(res, 'retry-after')));
        continue;
      }
      throw await this.statusError(res, o.what, auth !== undefined);
    }
  }

  /** GET /v2/ (login): succeeds when the credentials (or anonymous access) are accepted. */
  async ping(): Promise<void> {
    const res = await this.request('/v2/', { what: `registry ${this.host}` });
    res.body.resume();
  }

  async getManifest(repo: string, reference: string): Promise<FetchedManifest> {
    const what = `manifest ${repo}:${reference} on ${this.host}`.replace(':sha', '@sha');
    const res = await this.request(`/v2/${repo}/manifests/${reference}`, {
      headers: { Accept: MANIFEST_ACCEPT },
      scope: pullScope(repo),
      what,
    });
    const raw = await readBody(res, MANIFEST_SIZE_LIMIT, what);
    let mediaType = bareMediaType(header(res, 'content-type'));
    try {
      const parsed = JSON.parse(raw.toString('utf8')) as { mediaType?: string; schemaVersion?: number };
      if (typeof parsed.mediaType === 'string' && parsed.mediaType) mediaType = parsed.mediaType;
      else if (parsed.schemaVersion === 1) mediaType = 'application/vnd.docker.distribution.manifest.v1+json';
    } catch {
      throw new SelkieError('registry', `${what} is not valid JSON`);
    }
    let digest: string;
    if (reference.includes(':')) {
      verifyBuffer(raw, reference, what);
      digest = reference;
    } else {
      const served = header(res, 'docker-content-digest');
      digest = digestOf(raw, served ? parseDigest(served).algorithm : 'sha256');
      if (served && served !== digest) throw new SelkieError('registry', `${what}: the registry says its digest is ${served} but the content is ${digest}`);
    }
    return { raw, mediaType, digest };
  }

  /** HEAD of a manifest: its digest (Docker-Content-Digest), media type and size, without the body. */
  async headManifest(repo: string, reference: string): Promise<{ digest?: string; mediaType: string; size: number }> {
    const res = await this.request(`/v2/${repo}/manifests/${reference}`, {
      method: 'HEAD',
      headers: { Accept: MANIFEST_ACCEPT },
      scope: pullScope(repo),
      what: `manifest ${repo}:${reference} on ${this.host}`.replace(':sha', '@sha'),
    });
    res.body.resume();
    const digest = header(res, 'docker-content-digest');
    return { ...(digest ? { digest } : {}), mediaType: bareMediaType(header(res, 'content-type')), size: Number(header(res, 'content-length') ?? -1) };
  }

  /** A small blob (image config) in memory, verified. */
  async getBlobBuffer(repo: string, digest: string, limit: number, what: string): Promise<Buffer> {
    const res = await this.request(`/v2/${repo}/blobs/${digest}`, { scope: pullScope(repo), what });
    const buf = await readBody(res, limit, what);
    verifyBuffer(buf, digest, what);
    return buf;
  }

  /** Opens a blob from `offset` (Range); `resumed` tells whether the server honoured the range. */
  async openBlob(repo: string, digest: string, offset: number, what: string): Promise<{ res: HttpResponse; resumed: boolean }> {
    const headers: Record<string, string> = offset > 0 ? { Range: `bytes=${offset}-` } : {};
    const res = await this.request(`/v2/${repo}/blobs/${digest}`, { scope: pullScope(repo), headers, what });
    const range = header(res, 'content-range');
    const resumed = offset > 0 && res.status === 206 && range !== undefined && new RegExp(`^bytes ${offset}-`).test(range);
    if (offset > 0 && res.status === 206 && !resumed) {
      res.body.destroy();
      return this.openBlob(repo, digest, 0, what);
    }
    return { res, resumed };
  }

  async listTags(repo: string, pageSize?: number): Promise<string[]> {
    const q = pageSize ? `?n=${pageSize}` : '';
    return this.pagedList(`/v2/${repo}/tags/list${q}`, 'tags', pullScope(repo), `tags of ${repo} on ${this.host}`);
  }

  /** The repositories the registry lists in /v2/_catalog, following its Link headers page by page. */
  async listCatalog(pageSize = 100): Promise<string[]> {
    return this.pagedList(`/v2/_catalog?n=${pageSize}`, 'repositories', 'registry:catalog:*', `the catalog of ${this.host}`);
  }

  /** GETs a list endpoint and the pages its `Link: <...>; rel="next"` headers name (at most 1000 pages). */
  private async pagedList(first: string, key: 'tags' | 'repositories', scope: string, what: string): Promise<string[]> {
    const items: string[] = [];
    let path: string | undefined = first;
    for (let page = 0; path && page < 1000; page++) {
      const res = await this.request(path, { scope, what });
      let body: Record<string, unknown>;
      try {
        body = JSON.parse((await readBody(res, 16 << 20, what)).toString('utf8')) as Record<string, unknown>;
      } catch (e) {
        if (isSelkieError(e)) throw e;
        throw new SelkieError('registry', `${what}: the registry sent malformed JSON`);
      }
      const list = body[key];
      if (Array.isArray(list)) items.push(...list.filter((x): x is string => typeof x === 'string'));
      const link = /<([^>]+)>;\s*rel="?next"?/.exec(header(res, 'link') ?? '');
      const next = link ? new URL(link[1]!, 'http://x') : undefined;
      path = next ? next.pathname + next.search : undefined;
    }
    return items;
  }

  debug(msg: string): void {
    this.opts.log?.(msg);
  }

  get retryCount(): number {
    return this.retries;
  }

  private async send(path: string, o: RequestOptions, auth: string | undefined): Promise<HttpResponse> {
    const headers = { ...o.headers, ...(auth ? { Authorization: auth } : {}) };
    const req = { method: o.method ?? 'GET', headers, body: o.body, tls: this.opts.tls, timeoutMs: this.timeoutMs, log: this.opts.log } as const;
    if (this.scheme === 'http' || (this.scheme === undefined && !this.opts.insecure)) {
      this.scheme ??= 'https';
      return httpRequest(`${this.scheme}://${this.host}${path}`, req);
    }
    if (this.scheme === 'https') return httpRequest(`https://${this.host}${path}`, req);
    // Insecure, first request: plain http straight away when that is what it answered on last time
    // (scheme-memory.ts); else https, then http.
    if (rememberedScheme(this.host) === 'http') {
      try {
        const res = await httpRequest(`http://${this.host}${path}`, req);
        // A TLS server answers plain http with 400 ("client sent an HTTP request to an HTTPS server").
        if (res.status !== 400) {
          this.scheme = 'http';
          return res;
        }
        res.body.resume();
      } catch (e) {
        if (!(e instanceof TransportError)) throw e;
      }
      this.opts.log?.(`${this.host} no longer answers plain http; trying https first`);
      rememberScheme(this.host, undefined);
    }
    const order: Scheme[] = ['https', 'http'];
    try {
      const res = await httpRequest(`${order[0]}://${this.host}${path}`, req);
      this.scheme = order[0];
      return res;
    } catch (e) {
      if (!(e instanceof TransportError)) throw e;
      this.opts.log?.(`${order[0]} to ${this.host} failed (${e.message}); trying ${order[1]}`);
      const res = await httpRequest(`${order[1]}://${this.host}${path}`, req);
      this.scheme = order[1];
      rememberScheme(this.host, this.scheme);
      return res;
    }
  }

  private async statusError(res: HttpResponse, what: string, hadAuth: boolean): Promise<SelkieError> {
    let detail = '';
    try {
      const body = JSON.parse((await readBody(res, 64 << 10, 'error')).toString('utf8')) as { errors?: { code?: string; message?: string }[] };
      const e = body.errors?.[0];
      if (e) detail = [e.code, e.message].filter(Boolean).join(': ');
    } catch (e) {
      if (isSelkieError(e)) detail = '';
    }
    if (res.status === 401) return hadAuth || this.auth.hasCredentials ? authRefused(this.host, detail) : authRequired(this.host);
    if (res.status === 403) return new SelkieError('auth', `access to ${what} denied${detail ? `: ${detail}` : ''}`, { hint: `log in with an account that has access to it (selkie login ${this.host})` });
    if (res.status === 404) return new SelkieError('not-found', `${what} not found${detail ? `: ${detail}` : ''}`, { hint: 'check the image name and tag' });
    return new SelkieError('registry', `${what}: HTTP ${res.status}${detail ? `: ${detail}` : ''}`);
  }
}

export function header(res: HttpResponse, name: string): string | undefined {
  const v = res.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** 250 ms, 500 ms, 1 s, ... (max 4 s), or the server's Retry-After (max 10 s). */
export function backoff(attempt: number, retryAfterSeconds?: number): Promise<void> {
  const ms = retryAfterSeconds && Number.isFinite(retryAfterSeconds) ? Math.min(retryAfterSeconds * 1000, 10_000) : Math.min(250 * 2 ** attempt, 4000);
  return new Promise((r) => setTimeout(r, ms));
}
