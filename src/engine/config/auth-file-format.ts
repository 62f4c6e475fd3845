/**
 * The containers-auth.json(5) / Docker config.json format: `{"auths": {KEY: {"auth": base64("user:pass"),
 * "identitytoken": ...}}, "credHelpers": {HOST: NAME}, "credsStore": NAME, ...other keys kept as they are}`.
 * ~/.dockercfg (legacy) is the `auths` map alone, keyed by registry URL.
 *
 * Keys are a host[:port], or host[:port]/namespace[/repo] for per-repository credentials; Docker writes
 * Docker Hub as "https://index.docker.io/v1/".
 */
import fs from 'node:fs';
import { SelkieError, invalid } from '../errors.js';

export interface Credentials {
  username: string;
  password: string;
  identityToken?: string;
}

export interface AuthEntry {
  auth?: string;
  identitytoken?: string;
  username?: string;
  password?: string;
  [other: string]: unknown;
}

export interface AuthFileContents {
  auths: Record<string, AuthEntry>;
  credHelpers: Record<string, string>;
  credsStore?: string;
  /** The whole JSON object, so writes keep keys Selkie does not know. */
  raw: Record<string, unknown>;
}

const DOCKER_HUB_HOSTS = new Set(['index.docker.io', 'registry-1.docker.io']);

function malformed(file: string, what: string): SelkieError {
  return new SelkieError('invalid', `${file}: ${what}`, { hint: 'fix or delete it' });
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * A key as stored: URLs ("https://index.docker.io/v1/") become their host, Docker Hub hosts become
 * "docker.io", trailing '/' is dropped; host/namespace keys keep their path.
 */
export function normalizeAuthKey(input: string): string {
  let key = input.trim();
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(key);
  if (scheme) key = key.slice(scheme[0].length).split('/')[0]!;
  key = key.replace(/\/+$/, '');
  const slash = key.indexOf('/');
  const host = slash === -1 ? key : key.slice(0, slash);
  if (DOCKER_HUB_HOSTS.has(host)) key = 'docker.io' + (slash === -1 ? '' : key.slice(slash));
  return key;
}

/** Checks a normalized key: host[:port][/namespace...] without tag or digest. */
export function validateAuthKey(key: string, input = key): void {
  const bad = (why: string) => invalid(`invalid registry ${JSON.stringify(input)}: ${why}`, 'use host[:port] or host[:port]/namespace/repo');
  if (key === '') throw bad('it is empty');
  if (/\s/.test(key)) throw bad('it contains spaces');
  if (key.includes('@')) throw bad('it cannot contain a digest');
  const slash = key.indexOf('/');
  if (slash === 0) throw bad('it has no host');
  if (slash !== -1 && key.slice(slash + 1).includes(':')) throw bad('it cannot contain a tag');
}

/** The registry host[:port] part of a key. */
export function registryOfKey(key: string): string {
  const slash = key.indexOf('/');
  return slash === -1 ? key : key.slice(0, slash);
}

/** Reads an auth file; undefined when it does not exist. Malformed content → SelkieError naming the file. */
export function readAuthFile(file: string, legacy = false): AuthFileContents | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new SelkieError('state', `cannot read ${file}: ${(e as Error).message}`, { hint: 'check its permissions', cause: e });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw malformed(file, `not valid JSON (${(e as Error).message})`);
  }
  if (!isObject(raw)) throw malformed(file, 'must contain a JSON object');
  const authsValue = legacy ? raw : (raw.auths ?? {});
  if (!isObject(authsValue)) throw malformed(file, '"auths" must be an object');
  for (const [key, entry] of Object.entries(authsValue)) {
    if (!isObject(entry)) throw malformed(file, `"auths" entry ${JSON.stringify(key)} must be an object`);
  }
  const helpers = legacy ? {} : (raw.credHelpers ?? {});
  if (!isObject(helpers) || Object.values(helpers).some((h) => typeof h !== 'string')) {
    throw malformed(file, '"credHelpers" must map registries to helper names');
  }
  const store = legacy ? undefined : raw.credsStore;
  if (store !== undefined && typeof store !== 'string') throw malformed(file, '"credsStore" must be a string');
  const contents: AuthFileContents = {
    auths: authsValue as Record<string, AuthEntry>,
    credHelpers: helpers as Record<string, string>,
    raw,
  };
  if (store) contents.credsStore = store;
  return contents;
}

/** The credentials in one entry; undefined for an empty entry (e.g. `{}` written next to a credsStore). */
export function decodeAuthEntry(file: string, key: string, entry: AuthEntry): Credentials | undefined {
  const where = `"auths" entry ${JSON.stringify(key)}`;
  const token = typeof entry.identitytoken === 'string' && entry.identitytoken !== '' ? entry.identitytoken : undefined;
  if (typeof entry.auth === 'string' && entry.auth !== '') {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (!/^[A-Za-z0-9+/=\s]+$/.test(entry.auth) || colon === -1) {
      throw malformed(file, `${where} has an invalid "auth" value (want base64 of "user:password")`);
    }
    const creds: Credentials = { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
    if (token) creds.identityToken = token;
    return creds;
  }
  if (typeof entry.username === 'string' && typeof entry.password === 'string') {
    const creds: Credentials = { username: entry.username, password: entry.password };
    if (token) creds.identityToken = token;
    return creds;
  }
  if (token) return { username: '', password: '', identityToken: token };
  return undefined;
}

/** base64("user:password") as stored in "auth". */
export function encodeAuth(username: string, password: string): string {
  return Buffer.from(`${username}:${password}`, 'utf8').toString('base64');
}

/** The JSON text to write back: `raw` with the updated auths and credHelpers, tab-indented like podman. */
export function serializeAuthFile(contents: AuthFileContents): string {
  const out: Record<string, unknown> = { ...contents.raw, auths: contents.auths };
  if (Object.keys(contents.credHelpers).length > 0) out.credHelpers = contents.credHelpers;
  else delete out.credHelpers;
  return `${JSON.stringify(out, null, '\t')}\n`;
}

export function emptyAuthFile(): AuthFileContents {
  return { auths: {}, credHelpers: {}, raw: {} };
}
