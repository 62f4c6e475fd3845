/**
 * Registry credentials as containers-auth.json(5) stores them.
 *
 * Files searched, in order, until one has credentials:
 *   1. the primary (read/write) file: --authfile or $REGISTRY_AUTH_FILE, else
 *      $XDG_RUNTIME_DIR/containers/auth.json, else /run/containers/UID/auth.json;
 *   2. $XDG_CONFIG_HOME/containers/auth.json (default ~/.config);
 *   3. $DOCKER_CONFIG/config.json, default ~/.docker/config.json;
 *   4. ~/.dockercfg (legacy format).
 * Within a file: a credHelpers entry for the registry, then the most specific key (host/ns/repo, host/ns,
 * host), then keys that normalize to the host (https://index.docker.io/v1/ → docker.io), then credsStore.
 *
 * Only the primary file is written: atomically (temp file, fsync, rename), mode 0600, directory 0700,
 * keeping every other key. registries.conf `credential-helpers` (opts.credentialHelpers) can put external
 * helpers before or instead of the files ("containers-auth.json").
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { hostUid } from './paths.js';
import { SelkieError, isSelkieError } from '../errors.js';
import { writeFileAtomic } from '../util/atomic-file.js';
import { referenceName, type ImageReference } from '../images/reference.js';
import {
  decodeAuthEntry,
  emptyAuthFile,
  encodeAuth,
  normalizeAuthKey,
  readAuthFile,
  registryOfKey,
  serializeAuthFile,
  validateAuthKey,
  type AuthFileContents,
  type Credentials,
} from './auth-file-format.js';
import { helperErase, helperGet, helperList, helperStore } from './credential-helper.js';
import { AUTH_FILE_HELPER } from './registries-conf-types.js';

export type { Credentials } from './auth-file-format.js';
export { normalizeAuthKey } from './auth-file-format.js';

export interface AuthOptions {
  /** --authfile: replaces the primary file (as $REGISTRY_AUTH_FILE does). */
  authFile?: string;
  env?: NodeJS.ProcessEnv;
  /** Effective uid for /run/containers/UID; default process.geteuid(). */
  uid?: number;
  /** registries.conf credential-helpers; default ["containers-auth.json"] (the auth files only). */
  credentialHelpers?: string[];
}

export interface AuthFilePath {
  file: string;
  legacy: boolean;
}

/** Docker's server address for Docker Hub in credential stores. */
const DOCKER_HUB_SERVER = 'https://index.docker.io/v1/';

function envOf(opts: AuthOptions): NodeJS.ProcessEnv {
  return opts.env ?? process.env;
}

function homeOf(env: NodeJS.ProcessEnv): string {
  return env.HOME || os.homedir();
}

/** The read/write auth file. */
export function primaryAuthFile(opts: AuthOptions = {}): string {
  const env = envOf(opts);
  const explicit = opts.authFile || env.REGISTRY_AUTH_FILE;
  if (explicit) return explicit;
  if (env.XDG_RUNTIME_DIR) return path.join(env.XDG_RUNTIME_DIR, 'containers', 'auth.json');
  return `/run/containers/${opts.uid ?? hostUid()}/auth.json`; // hostUid: the user's, also inside its namespace
}

/** Every file consulted for credentials, in lookup order (they need not exist). */
export function authFilePaths(opts: AuthOptions = {}): AuthFilePath[] {
  const env = envOf(opts);
  const home = homeOf(env);
  const configHome = env.XDG_CONFIG_HOME || path.join(home, '.config');
  const dockerConfig = env.DOCKER_CONFIG ? path.join(env.DOCKER_CONFIG, 'config.json') : path.join(home, '.docker', 'config.json');
  const paths: AuthFilePath[] = [];
  const primary = primaryAuthFile(opts);
  // A $XDG_RUNTIME_DIR that does not exist is skipped when reading (pulls of public images still work).
  const runtimeDirMissing = !opts.authFile && !env.REGISTRY_AUTH_FILE && env.XDG_RUNTIME_DIR && !fs.existsSync(env.XDG_RUNTIME_DIR);
  if (!runtimeDirMissing) paths.push({ file: primary, legacy: false });
  for (const file of [path.join(configHome, 'containers', 'auth.json'), dockerConfig]) {
    if (!paths.some((p) => p.file === file)) paths.push({ file, legacy: false });
  }
  paths.push({ file: path.join(home, '.dockercfg'), legacy: true });
  return paths;
}

function helpersOf(opts: AuthOptions): string[] {
  return opts.credentialHelpers && opts.credentialHelpers.length > 0 ? opts.credentialHelpers : [AUTH_FILE_HELPER];
}

function prepareKey(input: string): { key: string; registry: string; namespaced: boolean } {
  const key = normalizeAuthKey(input);
  validateAuthKey(key, input);
  const registry = registryOfKey(key);
  return { key, registry, namespaced: key !== registry };
}

/** host/ns/repo, host/ns, host. */
function lookupKeys(key: string): string[] {
  const keys = [key];
  for (let k = key; k.includes('/'); ) {
    k = k.slice(0, k.lastIndexOf('/'));
    keys.push(k);
  }
  return keys;
}

function findInFile(p: AuthFilePath, key: string, registry: string, env: NodeJS.ProcessEnv): Credentials | undefined {
  const contents = readAuthFile(p.file, p.legacy);
  if (!contents) return undefined;
  const helper = contents.credHelpers[registry];
  if (helper) return helperGet(helper, registry, env);
  if (!p.legacy) {
    for (const k of lookupKeys(key)) {
      const entry = contents.auths[k];
      const creds = entry && decodeAuthEntry(p.file, k, entry);
      if (creds) return creds;
    }
  }
  for (const [k, entry] of Object.entries(contents.auths)) {
    const normalized = normalizeAuthKey(k);
    if ((p.legacy ? registryOfKey(normalized) : normalized) !== registry) continue;
    const creds = decodeAuthEntry(p.file, k, entry);
    if (creds) return creds;
  }
  if (contents.credsStore) return helperGet(contents.credsStore, registry === 'docker.io' ? DOCKER_HUB_SERVER : registry, env);
  return undefined;
}

/**
 * Credentials for a registry host, host/namespace or host/namespace/repo (the most specific key wins), or
 * undefined when the user is not logged in.
 */
export function getCredentials(registryHostOrRepo: string, opts: AuthOptions = {}): Credentials | undefined {
  const env = envOf(opts);
  const { key, registry } = prepareKey(registryHostOrRepo);
  for (const helper of helpersOf(opts)) {
    if (helper === AUTH_FILE_HELPER) {
      for (const p of authFilePaths(opts)) {
        const creds = findInFile(p, key, registry, env);
        if (creds) return creds;
      }
    } else {
      // Helpers hold credentials per registry host, so a namespaced key asks for its host.
      const creds = helperGet(helper, registry, env);
      if (creds) return creds;
    }
  }
  return undefined;
}

/** Credentials for pulling or pushing `ref` (looked up by its repository name). */
export function getCredentialsForRef(ref: ImageReference, opts: AuthOptions = {}): Credentials | undefined {
  return getCredentials(referenceName(ref), opts);
}

/** The primary file, ready to edit (empty when missing); refuses a $XDG_RUNTIME_DIR that does not exist. */
function openPrimary(opts: AuthOptions): { file: string; contents: AuthFileContents; existed: boolean } {
  const env = envOf(opts);
  const file = primaryAuthFile(opts);
  if (!opts.authFile && !env.REGISTRY_AUTH_FILE && env.XDG_RUNTIME_DIR && !fs.existsSync(env.XDG_RUNTIME_DIR)) {
    throw new SelkieError('state', `XDG_RUNTIME_DIR ${env.XDG_RUNTIME_DIR} does not exist, so ${file} cannot be written`, {
      hint: 'create that directory, unset XDG_RUNTIME_DIR, or pass --authfile',
    });
  }
  const contents = readAuthFile(file);
  return { file, contents: contents ?? emptyAuthFile(), existed: contents !== undefined };
}

function writePrimary(file: string, contents: AuthFileContents): void {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    writeFileAtomic(file, serializeAuthFile(contents), 0o600);
  } catch (e) {
    throw new SelkieError('state', `cannot write ${file}: ${(e as Error).message}`, {
      hint: 'check the permissions of its directory, or pass --authfile',
      cause: e,
    });
  }
}

function namespacedHelperError(key: string, helper: string): SelkieError {
  return new SelkieError('invalid', `cannot store credentials for ${JSON.stringify(key)} in credential helper ${helper}`, {
    hint: 'credential helpers hold credentials per registry host only; log in to the host',
  });
}

/**
 * Stores credentials for a registry host or host/namespace[/repo]. Returns where they went: the auth file
 * path, or "credential helper: NAME".
 */
export function setCredentials(key: string, username: string, password: string, opts: AuthOptions = {}): string {
  const env = envOf(opts);
  const k = prepareKey(key);
  const errors: SelkieError[] = [];
  for (const helper of helpersOf(opts)) {
    try {
      if (helper !== AUTH_FILE_HELPER) {
        if (k.namespaced) throw namespacedHelperError(k.key, helper);
        helperStore(helper, k.registry, username, password, env);
        return `credential helper: ${helper}`;
      }
      const { file, contents } = openPrimary(opts);
      const fileHelper = contents.credHelpers[k.registry] ?? contents.credsStore;
      if (fileHelper && !k.namespaced) {
        helperStore(fileHelper, k.registry, username, password, env);
        return `credential helper: ${fileHelper}`;
      }
      contents.auths[k.key] = { auth: encodeAuth(username, password) };
      writePrimary(file, contents);
      return file;
    } catch (e) {
      if (!(isSelkieError(e))) throw e;
      errors.push(e);
    }
  }
  if (errors.length === 1) throw errors[0]!;
  throw new SelkieError('auth', `cannot store credentials for ${k.key}: ${errors.map((e) => e.message).join('; ')}`);
}

/** Removes the credentials stored for exactly this key (logout). Throws "not logged in" when there were none. */
export function removeCredentials(key: string, opts: AuthOptions = {}): void {
  const env = envOf(opts);
  const k = prepareKey(key);
  let removed = false;
  for (const helper of helpersOf(opts)) {
    if (helper !== AUTH_FILE_HELPER) {
      if (!k.namespaced && helperErase(helper, k.registry, env)) removed = true;
      continue;
    }
    const { file, contents, existed } = openPrimary(opts);
    if (!existed) continue;
    const fileHelper = contents.credHelpers[k.registry];
    if (fileHelper && !k.namespaced && helperErase(fileHelper, k.registry, env)) removed = true;
    let changed = false;
    for (const stored of Object.keys(contents.auths)) {
      if (stored === k.key || (!k.namespaced && normalizeAuthKey(stored) === k.key)) {
        delete contents.auths[stored];
        changed = true;
      }
    }
    if (changed) {
      writePrimary(file, contents);
      removed = true;
    }
  }
  if (removed) return;
  const elsewhere = authFilePaths(opts)
    .slice(1)
    .find((p) => findInFile(p, k.key, k.registry, env) !== undefined);
  throw new SelkieError('not-found', `not logged in to ${k.key}`, {
    hint: elsewhere
      ? `the credentials in use come from ${elsewhere.file}; remove them there (e.g. docker logout ${k.registry})`
      : undefined,
  });
}

/** Removes every credential from the primary file and its helpers, and from external credential-helpers (logout --all). */
export function removeAll(opts: AuthOptions = {}): void {
  const env = envOf(opts);
  for (const helper of helpersOf(opts)) {
    if (helper !== AUTH_FILE_HELPER) {
      for (const server of helperList(helper, env)) helperErase(helper, server, env);
      continue;
    }
    const { file, contents, existed } = openPrimary(opts);
    if (!existed) continue;
    for (const [registry, name] of Object.entries(contents.credHelpers)) helperErase(name, registry, env);
    contents.auths = {};
    contents.credHelpers = {};
    writePrimary(file, contents);
  }
}
