/**
 * One HTTP(S) request with what a registry client needs: redirects (Authorization dropped when the
 * host changes), a timeout for the response headers and for every pause in the body (both name the
 * host), and keep-alive agents so a pull reuses its connections.
 */
import type http from 'node:http';
import { httpModule, httpsModule } from '../util/lazy-builtin.js';
import type { Readable } from 'node:stream';
import { SelkieError } from '../errors.js';
import { tlsOptions, type TlsSettings } from './tls-config.js';

export interface HttpRequest {
  method?: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  headers?: Record<string, string>;
  /** A fixed body, or a function opening it (called again for each redirect or retry). */
  body?: string | Buffer | (() => Readable);
  tls?: TlsSettings;
  /** Milliseconds to wait for headers, and for each chunk of the body. */
  timeoutMs: number;
  /** Called with each request made (for --log-level=debug). */
  log?: (msg: string) => void;
}

export interface HttpResponse {
  status: number;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: Readable;
}

/** A failure to talk to the server at all (connection, TLS, timeout): retryable and, for insecure registries, a reason to try http. */
export class TransportError extends SelkieError {
  constructor(
    message: string,
    readonly code: string,
    opts: { hint?: string; cause?: unknown } = {},
  ) {
    super('registry', message, opts);
  }

  /** Worth retrying: not a certificate or TLS protocol problem, which would fail the same way again. */
  get transient(): boolean {
    return !/CERT|UNABLE_TO|SELF_SIGNED|ALTNAME|EPROTO|ERR_SSL|ERR_TLS|ENOTFOUND/.test(this.code);
  }
}

const agents = new Map<string, http.Agent>();

function agentFor(url: URL, settings?: TlsSettings): http.Agent {
  const key = url.protocol === 'https:' ? `https ${JSON.stringify(settings ?? null)}` : 'http';
  let a = agents.get(key);
  if (!a) {
    a = url.protocol === 'https:' ? new (httpsModule().Agent)({ keepAlive: true, maxSockets: 8, ...(settings ? tlsOptions(settings) : {}) }) : new (httpModule().Agent)({ keepAlive: true, maxSockets: 8 });
    agents.set(key, a);
  }
  return a;
}

function once(url: URL, req: HttpRequest, headers: Record<string, string>): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const mod = url.protocol === 'https:' ? httpsModule() : httpModule();
    const r = mod.request(url, { method: req.method ?? 'GET', headers, agent: agentFor(url, req.tls) }, (res) => {
      clearTimeout(timer);
      res.setTimeout(req.timeoutMs, () =>
        res.destroy(new TransportError(`reading from ${url.host} timed out: no data for ${req.timeoutMs / 1000} s`, 'ETIMEDOUT')),
      );
      resolve({ status: res.statusCode ?? 0, url: url.href, headers: res.headers, body: res });
    });
    const timer = setTimeout(() => {
      r.destroy(new TransportError(`${url.host} did not answer within ${req.timeoutMs / 1000} s`, 'ETIMEDOUT', { hint: 'check that the registry is up and reachable' }));
    }, req.timeoutMs);
    r.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (e instanceof TransportError) return reject(e);
      const code = e.code ?? 'EIO';
      const certProblem = /CERT|UNABLE_TO|SELF_SIGNED|ALTNAME/.test(code);
      const detail = e.message.split('\n')[0]!.replace(/^(write|read) EPROTO [0-9A-F]+:error:[0-9A-F]+:SSL routines:/, 'TLS: ').replace(/:\.\.\/deps\/.*$/, '');
      reject(
        new TransportError(`cannot reach ${url.host}: ${detail}`, code, {
          cause: e,
          ...(certProblem ? { hint: `put its CA certificate in /etc/containers/certs.d/${url.host}/ca.crt, pass --cert-dir DIR, or --tls-verify=false` } : {}),
        }),
      );
    });
    if (typeof req.body === 'function') {
      const src = req.body();
      src.on('error', (e) => r.destroy(e));
      src.pipe(r);
    } else if (req.body !== undefined) r.end(req.body);
    else r.end();
  });
}

/** Performs the request, following up to 10 redirects. The caller must consume or destroy the body. */
export async function httpRequest(input: string, req: HttpRequest): Promise<HttpResponse> {
  let url = new URL(input);
  let headers: Record<string, string> = { 'User-Agent': 'selkie', ...req.headers };
  for (let hop = 0; ; hop++) {
    const res = await once(url, req, headers);
    req.log?.(`${req.method ?? 'GET'} ${url.href} → ${res.status}`);
    const location = res.headers.location;
    if (![301, 302, 303, 307, 308].includes(res.status) || !location) return res;
    res.body.resume();
    if (hop >= 10) throw new TransportError(`too many redirects from ${url.host}`, 'EREDIRECT');
    const next = new URL(location, url);
    if (next.host !== url.host) {
      const { Authorization: _drop, ...rest } = headers;
      headers = rest;
    }
    url = next;
  }
}

/** Reads a whole (small) body, failing beyond `limit` bytes. */
export async function readBody(res: HttpResponse, limit: number, what: string): Promise<Buffer> {
  const declared = Number(res.headers['content-length'] ?? -1);
  if (declared > limit) {
    res.body.destroy();
    throw new SelkieError('registry', `${what} is ${declared} bytes, more than the ${limit >> 20} MiB limit`, { hint: 'the registry served something that is not a manifest or config' });
  }
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const c of res.body) {
    n += (c as Buffer).length;
    if (n > limit) {
      res.body.destroy();
      throw new SelkieError('registry', `${what} is more than the ${limit >> 20} MiB limit`, { hint: 'the registry served something that is not a manifest or config' });
    }
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks);
}
