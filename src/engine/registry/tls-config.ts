/**
 * TLS settings for one registry host, as containers-certs.d(5) lays them out: in
 * /etc/containers/certs.d/HOST:PORT/ (or the --cert-dir directory instead), `*.crt` files are CA
 * certificates added to the system roots, and `NAME.cert` with `NAME.key` is a client certificate.
 *
 * NODE_EXTRA_CA_CERTS (a PEM file) is honoured as Node honours it, added to the roots. Selkie's
 * launcher keeps Node from loading it at start-up (it costs tens of milliseconds and most commands
 * make no TLS connection), so it is read here, when a registry is reached over TLS.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { hostUid } from '../config/paths.js';
import { tlsModule } from '../util/lazy-builtin.js';
import { SelkieError } from '../errors.js';

export interface TlsSettings {
  /** Verify the server certificate (false: --tls-verify=false or an insecure registry). */
  verify: boolean;
  /** Extra CA certificates (PEM), on top of the system roots. */
  ca: string[];
  cert?: string;
  key?: string;
}

export function certDirsFor(host: string, certDir?: string): string[] {
  if (certDir) return [certDir];
  const home = process.env.HOME || os.homedir();
  const configHome = process.env.XDG_CONFIG_HOME || path.join(home, '.config');
  const dirs = [path.join(configHome, 'containers', 'certs.d', host), `/etc/containers/certs.d/${host}`, `/etc/docker/certs.d/${host}`];
  return hostUid() === 0 ? dirs.slice(1) : dirs; // a rootless user (root only in its namespace) has its own
}

export function loadTlsSettings(host: string, opts: { certDir?: string; verify: boolean }): TlsSettings {
  const out: TlsSettings = { verify: opts.verify, ca: [] };
  for (const dir of certDirsFor(host, opts.certDir)) {
    let names: string[];
    try {
      names = fs.readdirSync(dir).sort();
    } catch (e) {
      if (opts.certDir && dir === opts.certDir) {
        throw new SelkieError('invalid', `cannot read certificate directory ${dir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      }
      continue;
    }
    for (const n of names) {
      const file = path.join(dir, n);
      if (n.endsWith('.crt')) out.ca.push(fs.readFileSync(file, 'utf8'));
      else if (n.endsWith('.cert')) {
        const keyFile = path.join(dir, `${n.slice(0, -5)}.key`);
        if (!fs.existsSync(keyFile)) throw new SelkieError('invalid', `client certificate ${file} has no matching key ${keyFile}`);
        out.cert = fs.readFileSync(file, 'utf8');
        out.key = fs.readFileSync(keyFile, 'utf8');
      }
    }
    if (out.ca.length || out.cert) break; // the first directory with certificates wins
  }
  return out;
}

let extraCa: string[] | undefined;

/** The certificates of NODE_EXTRA_CA_CERTS; one warning (as Node gives) when the file cannot be read. */
export function extraCaCertificates(): string[] {
  if (extraCa) return extraCa;
  extraCa = [];
  const file = process.env.NODE_EXTRA_CA_CERTS;
  if (file) {
    try {
      extraCa.push(fs.readFileSync(file, 'utf8'));
    } catch (e) {
      process.emitWarning(`Ignoring extra certs from \`${file}\`, load failed: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  }
  return extraCa;
}

/** Options for https.Agent / https.request. */
export function tlsOptions(s: TlsSettings): { ca?: string[]; cert?: string; key?: string; rejectUnauthorized: boolean } {
  const ca = [...extraCaCertificates(), ...s.ca];
  return {
    ...(ca.length ? { ca: [...tlsModule().rootCertificates, ...ca] } : {}),
    ...(s.cert ? { cert: s.cert, key: s.key } : {}),
    rejectUnauthorized: s.verify,
  };
}
