/**
 * Builds the RegistryClient for a registry host from the user's options and the host's configuration:
 * registries.conf `insecure`, certs.d, --creds or the auth files.
 */
import type { Credentials } from '../config/auth-file.js';
import { getCredentials } from '../config/auth-file.js';
import { isInsecure, type RegistriesConfig } from '../config/registries-conf.js';
import { usageError } from '../errors.js';
import { RegistryClient } from './registry-client.js';
import { loadTlsSettings } from './tls-config.js';
import type { RegistryAccessOptions } from './pull-types.js';

/** docker.io is an alias; its API lives at registry-1.docker.io. */
export function apiHost(domain: string): string {
  return domain === 'docker.io' ? 'registry-1.docker.io' : domain;
}

export function parseCreds(s: string): Credentials {
  const colon = s.indexOf(':');
  if (colon <= 0) throw usageError('--creds must be USERNAME:PASSWORD', 'e.g. --creds alice:s3cret');
  return { username: s.slice(0, colon), password: s.slice(colon + 1) };
}

export interface ClientRequest {
  /** host[:port] as in the image name (docker.io for Docker Hub). */
  domain: string;
  /** Repository name for credential lookup ("host/ns/repo"); default the host. */
  credentialKey?: string;
  /** The pull source is marked insecure (registries.conf mirror/registry entry). */
  insecure?: boolean;
}

export function registryClient(req: ClientRequest, opts: RegistryAccessOptions, conf: RegistriesConfig, log?: (m: string) => void): RegistryClient {
  const host = apiHost(req.domain);
  const confInsecure = req.insecure ?? isInsecure(conf, req.domain);
  const insecure = opts.tlsVerify === false || (opts.tlsVerify === undefined && confInsecure);
  const tls = loadTlsSettings(host, { certDir: opts.certDir, verify: !insecure });
  let creds: Credentials | undefined;
  if (opts.creds !== undefined) creds = parseCreds(opts.creds);
  else creds = getCredentials(req.credentialKey ?? req.domain, { authFile: opts.authFile, credentialHelpers: conf.credentialHelpers });
  return new RegistryClient({ host, insecure, tls, creds, log });
}
