/**
 * Bearer tokens kept on disk between commands, so a second pull or remote inspect within a token's
 * lifetime asks the token server nothing: one file per (registry, scope, identity) under the run
 * root's registry-tokens/ (directory 0700, files 0600, written atomically), named by a short hash of
 * who it is for and saying so inside. The file also keeps the
 * registry's challenge, so the first request of the next command already carries the token.
 * The identity is a hash of the credentials: a token is never handed to a different user.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../util/atomic-file.js';
import { shortHash } from '../util/short-hash.js';
import type { Challenge } from './www-authenticate.js';

export interface StoredToken {
  token: string;
  /** Unix milliseconds after which the token is not used. */
  expiresAt: number;
  challenge: Challenge;
}

let cacheDir: string | undefined;

/** Where tokens are kept (RUNROOT/registry-tokens); undefined keeps them in memory only. */
export function configureTokenCache(dir: string | undefined): void {
  cacheDir = dir;
}

export class TokenCache {
  private readonly dir = cacheDir;

  constructor(
    private readonly host: string,
    /** Who asks: "anonymous", or a hash of the username and secret. */
    private readonly identity: string,
  ) {}

  static identityOf(creds: { username: string; password: string; identityToken?: string } | undefined): string {
    if (!creds) return 'anonymous';
    return crypto.createHash('sha256').update(JSON.stringify([creds.username, creds.password, creds.identityToken ?? ''])).digest('hex');
  }

  /** The file of (registry, scope, identity): a short hash names it, and the file says whose it is. */
  private file(scope: string): string | undefined {
    if (!this.dir) return undefined;
    return path.join(this.dir, `${shortHash(this.owner(scope), 16)}.json`);
  }

  private owner(scope: string): string {
    return JSON.stringify([this.host, scope, this.identity]);
  }

  /** A stored token for `scope` that is still valid, if any. */
  get(scope: string): StoredToken | undefined {
    const f = this.file(scope);
    if (!f) return undefined;
    try {
      const t = JSON.parse(fs.readFileSync(f, 'utf8')) as Partial<StoredToken> & { owner?: string };
      if (t.owner !== this.owner(scope)) return undefined; // another (registry, scope, identity) with the same short hash
      if (typeof t.token !== 'string' || typeof t.expiresAt !== 'number' || !t.challenge || typeof t.challenge.scheme !== 'string') return undefined;
      if (t.expiresAt <= Date.now()) {
        fs.rmSync(f, { force: true });
        return undefined;
      }
      return t as StoredToken;
    } catch {
      return undefined;
    }
  }

  put(scope: string, t: StoredToken): void {
    const f = this.file(scope);
    if (!f) return;
    try {
      fs.mkdirSync(path.dirname(f), { recursive: true, mode: 0o700 });
      writeFileAtomic(f, JSON.stringify({ ...t, owner: this.owner(scope) }), 0o600);
    } catch {
      /* a cache: the token still works for this command */
    }
  }

  /** Forgets `scope`'s token (the registry refused it). */
  drop(scope: string): void {
    const f = this.file(scope);
    if (f) fs.rmSync(f, { force: true });
  }
}
