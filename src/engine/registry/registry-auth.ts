/**
 * Authentication against one registry (the distribution token spec): the first 401 tells the scheme.
 * Bearer: a token per scope from the realm (anonymous, or with Basic credentials / an identity token),
 * reused until shortly before it expires. Basic: the credentials on every request.
 */
import { SelkieError } from '../errors.js';
import type { Credentials } from '../config/auth-file.js';
import { httpRequest, readBody, type HttpRequest } from './http-transport.js';
import { parseWwwAuthenticate, type Challenge } from './www-authenticate.js';
import { TokenCache } from './token-cache.js';

interface CachedToken {
  token: string;
  expiresAt: number;
}

export function authRequired(host: string): SelkieError {
  return new SelkieError('auth', `authentication required for ${host}: run selkie login ${host}`);
}

export function authRefused(host: string, detail = ''): SelkieError {
  return new SelkieError('auth', `authentication to ${host} failed${detail ? `: ${detail}` : ''}`, {
    hint: `check the username and password (selkie login ${host})`,
  });
}

export class RegistryAuth {
  private challenge?: Challenge;
  private readonly tokens = new Map<string, Promise<CachedToken>>();
  /** How many tokens this client fetched (tests, debug). */
  tokenRequests = 0;
  /** Tokens kept between commands (token-cache.ts). */
  private readonly disk: TokenCache;

  constructor(
    private readonly host: string,
    private readonly creds: Credentials | undefined,
    private readonly http: Pick<HttpRequest, 'tls' | 'timeoutMs' | 'log'>,
  ) {
    this.disk = new TokenCache(host, TokenCache.identityOf(creds));
  }

  get hasCredentials(): boolean {
    return this.creds !== undefined;
  }

  /** The Authorization header for a request needing `scope`, if the registry asked for one before. */
  async header(scope: string | undefined): Promise<string | undefined> {
    const key = scope ?? '';
    if (!this.challenge) {
      // A token an earlier command got for this scope: its challenge comes with it.
      const stored = this.disk.get(key);
      if (!stored) return undefined;
      this.challenge = stored.challenge;
      this.tokens.set(key, Promise.resolve({ token: stored.token, expiresAt: stored.expiresAt }));
      this.http.log?.(`using the stored token for ${key || this.host}`);
    }
    const c = this.challenge;
    if (c.scheme === 'basic') return this.creds ? basic(this.creds) : undefined;
    if (c.scheme !== 'bearer') return undefined;
    const hit = this.tokens.get(key);
    if (hit) {
      const t = await hit.catch(() => undefined);
      if (t && t.expiresAt > Date.now()) return `Bearer ${t.token}`;
      if (this.tokens.get(key) !== hit) return this.header(scope); // another request refreshed it
    }
    const stored = this.disk.get(key);
    if (stored && stored.challenge.params.realm === c.params.realm) {
      this.tokens.set(key, Promise.resolve({ token: stored.token, expiresAt: stored.expiresAt }));
      return `Bearer ${stored.token}`;
    }
    // Concurrent requests for one scope share one token request.
    const pending = this.fetchToken(c, scope).then((t) => {
      this.disk.put(key, { ...t, challenge: c });
      return t;
    });
    this.tokens.set(key, pending);
    pending.catch(() => this.tokens.get(key) === pending && this.tokens.delete(key));
    return `Bearer ${(await pending).token}`;
  }

  /**
   * Learns from a 401's WWW-Authenticate. Returns true when a retry can succeed (a new challenge,
   * or credentials to offer); false means the request is refused as it stands.
   */
  onUnauthorized(wwwAuthenticate: string | undefined, hadAuth: boolean): boolean {
    const challenges = parseWwwAuthenticate(wwwAuthenticate);
    const c = challenges.find((x) => x.scheme === 'bearer') ?? challenges.find((x) => x.scheme === 'basic');
    if (!c) return false;
    const isNew = !this.challenge || this.challenge.scheme !== c.scheme || this.challenge.params.realm !== c.params.realm;
    this.challenge = c;
    if (c.scheme === 'basic') return !hadAuth && this.creds !== undefined;
    // A bearer 401 on a request that carried a token: drop cached tokens (expired or revoked) once.
    if (hadAuth && !isNew) {
      if (this.tokens.size === 0) return false;
      for (const k of this.tokens.keys()) this.disk.drop(k);
      this.tokens.clear();
      return true;
    }
    return true;
  }

  private async fetchToken(c: Challenge, scope: string | undefined): Promise<CachedToken> {
    const realm = c.params.realm;
    if (!realm) throw new SelkieError('registry', `${this.host} asked for a bearer token without a realm`);
    const service = c.params.service;
    this.tokenRequests++;
    let res;
    if (this.creds?.identityToken) {
      const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: this.creds.identityToken, client_id: 'selkie' });
      if (service) form.set('service', service);
      if (scope) form.set('scope', scope);
      res = await httpRequest(realm, {
        ...this.http,
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: form.toString(),
      });
    } else {
      const url = new URL(realm);
      if (service) url.searchParams.set('service', service);
      // Several scopes (push, and pull of a mount's source repository) are separate parameters.
      for (const sc of scope?.split(' ').filter(Boolean) ?? []) url.searchParams.append('scope', sc);
      res = await httpRequest(url.href, { ...this.http, headers: this.creds ? { Authorization: basic(this.creds) } : {} });
    }
    const body = await readBody(res, 1 << 20, `token from ${realm}`);
    if (res.status === 401 || res.status === 403) {
      throw this.creds ? authRefused(this.host, `the token server refused the credentials (HTTP ${res.status})`) : authRequired(this.host);
    }
    if (res.status !== 200) throw new SelkieError('registry', `token server ${new URL(realm).host} for ${this.host} answered HTTP ${res.status}`);
    let parsed: { token?: string; access_token?: string; expires_in?: number; issued_at?: string };
    try {
      parsed = JSON.parse(body.toString('utf8')) as typeof parsed;
    } catch {
      throw new SelkieError('registry', `token server for ${this.host} sent a malformed answer`);
    }
    const token = parsed.token ?? parsed.access_token;
    if (!token) throw new SelkieError('registry', `token server for ${this.host} sent no token`);
    const lifetime = Math.max(60, parsed.expires_in ?? 60) * 1000;
    const issued = parsed.issued_at ? Date.parse(parsed.issued_at) : NaN;
    const start = Number.isFinite(issued) && Math.abs(issued - Date.now()) < 3600_000 ? issued : Date.now();
    return { token, expiresAt: start + lifetime - 10_000 };
  }
}

function basic(c: Credentials): string {
  return `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}`;
}
