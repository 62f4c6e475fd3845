/** The /etc/hostname, /etc/hosts and /etc/resolv.conf a container gets, written into its userdata dir. */
import fs from 'node:fs';
import path from 'node:path';
import { writeBundleFile } from './bundle-file.js';

export interface EtcFiles {
  hostname: string;
  hosts: string;
  resolvConf: string;
}

export interface EtcNetworkOptions {
  /** --add-host NAME:IP values. */
  extraHosts?: string[];
  /** Lines for the container's own addresses ("IP\tnames"). */
  hostEntries?: string[];
  /** resolv.conf overrides (--dns, --dns-search, --dns-option, aardvark-dns on user networks). */
  nameservers?: string[];
  search?: string[];
  options?: string[];
}

export function writeEtcFiles(dir: string, opts: { hostname: string; network: string } & EtcNetworkOptions): EtcFiles {
  const files = { hostname: path.join(dir, 'hostname'), hosts: path.join(dir, 'hosts'), resolvConf: path.join(dir, 'resolv.conf') };
  writeBundleFile(files.hostname, `${opts.hostname}\n`);
  const hosts =
    opts.network === 'host'
      ? readOr('/etc/hosts', '')
      : ['127.0.0.1\tlocalhost localhost.localdomain', '::1\tlocalhost localhost.localdomain', `127.0.1.1\t${opts.hostname}`].join('\n') + '\n';
  const extra = (opts.extraHosts ?? []).map((h) => {
    const i = h.lastIndexOf(':');
    return `${h.slice(i + 1)}\t${h.slice(0, i)}\n`;
  });
  writeBundleFile(files.hosts, hosts + extra.join('') + (opts.hostEntries ?? []).map((l) => `${l}\n`).join(''));
  writeBundleFile(files.resolvConf, resolvConf(opts));
  return files;
}

/** The host's resolv.conf without loopback name servers, which a container cannot reach. */
function resolvConf(o: EtcNetworkOptions = {}): string {
  const lines = readOr('/etc/resolv.conf', '').split('\n');
  let kept = lines.filter((l) => !/^\s*nameserver\s+(127\.|::1\b)/.test(l));
  if (o.nameservers) kept = [...kept.filter((l) => !/^\s*nameserver\s/.test(l)), ...o.nameservers.map((n) => `nameserver ${n}`)];
  if (o.search) kept = [`search ${o.search.join(' ')}`, ...kept.filter((l) => !/^\s*(search|domain)\s/.test(l))];
  if (o.options) kept = [...kept.filter((l) => !/^\s*options\s/.test(l)), `options ${o.options.join(' ')}`];
  return kept.join('\n').trim() + '\n';
}

function readOr(p: string, fallback: string): string {
  try {
    return fs.readFileSync(p, 'utf8');
  } catch {
    return fallback;
  }
}
