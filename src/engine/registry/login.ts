/** `login` / `logout`: check credentials against the registry, then store or remove them (auth-file.ts). */
import { removeAll, removeCredentials, setCredentials } from '../config/auth-file.js';
import type { RegistriesConfig } from '../config/registries-conf.js';
import { usageError } from '../errors.js';
import type { LoginOptions } from './pull-types.js';
import { registryClient } from './registry-access.js';

/** "https://host:5000/v2/" → "host:5000"; "host/ns" stays (namespaced credentials). */
export function loginKey(server: string): string {
  let s = server.trim().replace(/^[a-z]+:\/\//i, '').replace(/\/+$/, '').replace(/\/v[12]$/, '');
  if (s === 'index.docker.io' || s === 'registry-1.docker.io' || s === 'index.docker.io/v1') s = 'docker.io';
  if (!s) throw usageError('a registry is required', 'selkie login REGISTRY');
  return s;
}

/** Verifies the credentials (GET /v2/ with them) and stores them. Returns where they were stored. */
export async function login(server: string, opts: LoginOptions, registries: RegistriesConfig, log?: (m: string) => void): Promise<string> {
  const key = loginKey(server);
  const domain = key.split('/')[0]!;
  const client = registryClient({ domain }, { tlsVerify: opts.tlsVerify, certDir: opts.certDir, creds: `${opts.username}:${opts.password}` }, registries, log);
  await client.ping();
  return setCredentials(key, opts.username, opts.password, { authFile: opts.authFile, credentialHelpers: registries.credentialHelpers });
}

export function logout(server: string | undefined, opts: { all?: boolean; authFile?: string }, registries: RegistriesConfig): void {
  const o = { authFile: opts.authFile, credentialHelpers: registries.credentialHelpers };
  if (opts.all) return removeAll(o);
  if (!server) throw usageError('a registry is required (or --all)', 'selkie logout REGISTRY');
  removeCredentials(loginKey(server), o);
}
