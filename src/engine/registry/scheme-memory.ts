/**
 * Which scheme an insecure registry answered on, remembered for the engine's later processes: an
 * insecure registry is tried with https first, then plain http (as containers/image does), and on a
 * plain-http registry that first try costs every pull a TLS handshake that fails and the loading of
 * Node's TLS code (~25 ms of a re-pull). The answers live in RUNROOT/registry-schemes.json (a tmpfs:
 * forgotten at reboot); a remembered scheme that stops working is tried the usual way and replaced.
 * Secure registries are https only and never remembered.
 */
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../util/atomic-file.js';

export type Scheme = 'https' | 'http';

let file: string | undefined;

/** Where the engine keeps the answers (LocalEngine: its run root); unset, nothing is remembered. */
export function rememberSchemesIn(runRoot: string | undefined): void {
  file = runRoot ? path.join(runRoot, 'registry-schemes.json') : undefined;
}

function readAll(): Record<string, Scheme> {
  if (!file) return {};
  try {
    const data = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
    return Object.fromEntries(Object.entries(data).filter((e): e is [string, Scheme] => e[1] === 'http' || e[1] === 'https'));
  } catch {
    return {};
  }
}

/** The scheme `host` answered on last time, if known. */
export function rememberedScheme(host: string): Scheme | undefined {
  return readAll()[host];
}

/** Remember the scheme `host` answered on (undefined: forget it). Best effort: never fails a pull. */
export function rememberScheme(host: string, scheme: Scheme | undefined): void {
  if (!file) return;
  const all = readAll();
  if (all[host] === scheme) return;
  if (scheme) all[host] = scheme;
  else delete all[host];
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    writeFileAtomic(file, JSON.stringify(all));
  } catch {
    // a read-only or vanished run root: the next pull tries https first again
  }
}
