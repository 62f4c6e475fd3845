/** The /etc/hostname, /etc/hosts and /etc/resolv.conf a container gets, written into its userdata dir. */
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../util/atomic-file.js';

export interface EtcFiles {
  hostname: string;
  hosts: string;
  resolvConf: string;
}

export function writeEtcFiles(dir: string, opts: { hostname: string; network: string; extraHosts?: string[] }): EtcFiles {
  const files = { hostname: path.join(dir, 'hostname'), hosts: path.join(dir, 'hosts'), resolvConf: path.join(dir, 'resolv.conf') };
  writeFileAtomic(files.hostname, `${opts.hostname}\n`);
  const hosts =
    opts.network === 'host'
      ? readOr('/etc/hosts', '')
      : ['127.0.0.1\tlocalhost localhost.localdomain', '::1\tlocalhost localhost.localdomain', `127.0.1.1\t${opts.hostname}`].join('\n') + '\n';
  writeFileAtomic(files.hosts, hosts + (opts.extraHosts ?? []).map((h) => `${h.replace(':', '\t')}\n`).join(''));
  writeFileAtomic(files.resolvConf, resolvConf());
  return files;
}

/** The host's resolv.conf without loopback name servers, which a container cannot reach. */
function resolvConf(): string {
  const lines = readOr('/etc/resolv.conf', '').split('\n');
  const kept = lines.filter((l) => !/^\s*nameserver\s+(127\.|::1\b)/.test(l));
  return kept.join('\n').trim() + '\n';
}

function readOr(p: string, fallback: string): string {
  try {
    return fs.readFileSync(p, 'utf8');
  } catch {
    return fallback;
  }
}
