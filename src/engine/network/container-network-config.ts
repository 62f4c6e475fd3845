/**
 * What a container asked for at create time, kept in its record (config.net): the networks it joins
 * (bridge mode), published ports, extra /etc/hosts entries and DNS settings. Resolved and validated
 * at create, so bad input fails before anything is made.
 */
import net from 'node:net';
import { conflict, usageError } from '../errors.js';
import type { ContainerConfig } from '../containers/container-record.js';
import { parseIPv4 } from './ipv4.js';
import { exposedPorts, parsePublish, type PortMapping } from './port-mappings.js';
import type { NetworkStore } from './network-store.js';
import type { ContainerCreateOptions } from '../types/container.js';
import { rootlessDefaultNetwork } from '../rootless/slirp.js';

export interface ContainerNetworkConfig {
  networks: { id: string; name: string; ip?: string; aliases: string[] }[];
  ports: PortMapping[];
  extraHosts: string[];
  dns: string[];
  dnsSearch: string[];
  dnsOptions: string[];
}

export type NetworkedConfig = ContainerConfig & { net?: ContainerNetworkConfig };

export const netConfigOf = (cfg: ContainerConfig): ContainerNetworkConfig | undefined => (cfg as NetworkedConfig).net;

export interface NetworkRequest {
  /** --network values (comma lists already split): bridge, none, host, container:NAME, or network names. */
  networks: string[];
  ip?: string;
  aliases?: string[];
  publish?: string[];
  publishAll?: boolean;
  addHosts?: string[];
  dns?: string[];
  dnsSearch?: string[];
  dnsOptions?: string[];
}

const SPECIAL = ['none', 'host'];

/** The network part of the create options. */
export function networkRequest(o: ContainerCreateOptions): NetworkRequest {
  const list = (o.network ?? '').split(',').map((v) => v.trim()).filter(Boolean);
  return {
    networks: list,
    ip: o.ip,
    aliases: o.networkAliases,
    publish: o.publish,
    publishAll: o.publishAll,
    addHosts: o.addHosts,
    dns: o.dns,
    dnsSearch: o.dnsSearch,
    dnsOptions: o.dnsOptions,
  };
}

/** Decide the network mode and config. `findContainer` resolves container:NAME to an ID. */
export async function resolveNetworkRequest(
  req: NetworkRequest,
  defaults: { rootless: boolean; exposed?: Record<string, unknown>; store: () => Promise<NetworkStore>; findContainer: (n: string) => string; takenHostPorts: () => Set<string> },
): Promise<{ mode: string; net?: ContainerNetworkConfig; warnings: string[] }> {
  const warnings: string[] = [];
  const values = req.networks.length ? req.networks : [defaults.rootless ? rootlessDefaultNetwork() : 'bridge'];
  for (const h of req.addHosts ?? []) {
    const i = h.lastIndexOf(':');
    if (i <= 0 || (h.slice(i + 1) !== 'host-gateway' && parseIPv4(h.slice(i + 1)) === undefined && !h.slice(i + 1).includes(':'))) {
      throw usageError(`invalid --add-host "${h}"`, 'use --add-host NAME:IP, e.g. --add-host db:10.0.0.5');
    }
  }
  for (const d of req.dns ?? []) if (net.isIP(d) === 0 && d !== 'none') throw usageError(`invalid --dns "${d}": not an IP address`);
  const publish = (req.publish ?? []).flatMap(parsePublish);
  const special = values.find((v) => SPECIAL.includes(v) || v.startsWith('container:') || v.startsWith('ns:') || v === 'private' || v === 'slirp4netns' || v === 'pasta');
  if (special && values.length > 1) throw usageError(`--network ${special} cannot be combined with other networks`, 'give it alone');
  const base = { extraHosts: req.addHosts ?? [], dns: req.dns ?? [], dnsSearch: req.dnsSearch ?? [], dnsOptions: req.dnsOptions ?? [] };
  if (special) {
    if (special === 'private') return { mode: 'none', net: { networks: [], ports: [], ...base }, warnings };
    if (special === 'slirp4netns') {
      // Rootless (rootless/slirp.ts): ports are forwarded by slirp4netns on the host.
      if (req.ip) throw usageError('--ip cannot be used with --network slirp4netns');
      if (req.publishAll) {
        for (const e of exposedPorts(defaults.exposed)) {
          if (!publish.some((p) => p.containerPort === e.port && p.protocol === e.protocol)) publish.push({ hostIp: '', hostPort: 0, containerPort: e.port, protocol: e.protocol });
        }
      }
      const ports = publish.length ? await resolveHostPorts(publish, defaults.takenHostPorts()) : [];
      return { mode: 'slirp4netns', net: { networks: [], ports, ...base }, warnings };
    }
    if (!SPECIAL.includes(special) && !special.startsWith('container:')) {
      throw usageError(`network mode "${special}" is not supported`, 'use bridge (default), a network name, host, none or container:NAME');
    }
    if (special.startsWith('container:')) {
      const id = defaults.findContainer(special.slice('container:'.length));
      if (publish.length) throw usageError('cannot publish ports (-p) with --network container:NAME', 'publish them on the container whose network is joined');
      return { mode: `container:${id}`, net: { networks: [], ports: [], ...base }, warnings };
    }
    if (publish.length || req.publishAll) warnings.push(`published ports are ignored with --network ${special}`);
    if (req.ip) throw usageError(`--ip cannot be used with --network ${special}`);
    return { mode: special, net: { networks: [], ports: [], ...base }, warnings };
  }
  if (defaults.rootless) throw usageError('bridge networks need root', 'run as root, or use --network none or host');
  const store = await defaults.store();
  const seen = new Set<string>();
  const networks = values.map((v, i) => {
    const n = store.mustFind(v);
    if (seen.has(n.id)) throw usageError(`network ${n.name} is given twice`);
    seen.add(n.id);
    return { id: n.id, name: n.name, ip: i === 0 ? req.ip : undefined, aliases: req.aliases ?? [] };
  });
  if (req.publishAll) {
    for (const e of exposedPorts(defaults.exposed)) {
      if (!publish.some((p) => p.containerPort === e.port && p.protocol === e.protocol)) publish.push({ hostIp: '', hostPort: 0, containerPort: e.port, protocol: e.protocol });
    }
  }
  const ports = publish.length ? await resolveHostPorts(publish, defaults.takenHostPorts()) : [];
  return { mode: 'bridge', net: { networks, ports, ...base }, warnings };
}

const key = (p: { hostPort: number; protocol: string }) => `${p.protocol}/${p.hostPort}`;

/** Check fixed host ports are free and pick free ones for random ports. */
async function resolveHostPorts(ports: PortMapping[], taken: Set<string>): Promise<PortMapping[]> {
  const out: PortMapping[] = [];
  const mine = new Set<string>();
  for (const p of ports) {
    if (p.hostPort === 0) {
      let port = 0;
      for (let i = 0; i < 20 && (port === 0 || taken.has(key({ hostPort: port, protocol: p.protocol })) || mine.has(key({ hostPort: port, protocol: p.protocol }))); i++) port = await freePort(p);
      out.push({ ...p, hostPort: port });
    } else {
      if (taken.has(key(p)) || mine.has(key(p))) throw conflict(`host port ${p.hostPort}/${p.protocol} is already published by another container`, 'choose another host port with -p HOST:CONTAINER');
      if (!(await portFree(p))) throw conflict(`host port ${p.hostIp || '0.0.0.0'}:${p.hostPort}/${p.protocol} is already in use on the host`, 'choose another host port, or stop what listens on it');
      out.push(p);
    }
    mine.add(key(out[out.length - 1]!));
  }
  return out;
}

function listenOnce(p: { hostIp: string; hostPort: number; protocol: string }): Promise<number | undefined> {
  if (p.protocol === 'udp') {
    return import('node:dgram').then(
      (dgram) =>
        new Promise((resolve) => {
          const s = dgram.createSocket('udp4');
          s.once('error', () => resolve(undefined));
          s.bind(p.hostPort, p.hostIp || '0.0.0.0', () => {
            const port = s.address().port;
            s.close(() => resolve(port));
          });
        }),
    );
  }
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(undefined));
    s.listen({ port: p.hostPort, host: p.hostIp || '0.0.0.0', exclusive: true }, () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

const portFree = async (p: PortMapping) => (await listenOnce(p)) !== undefined;
const freePort = async (p: PortMapping) => (await listenOnce({ ...p, hostPort: 0 })) ?? 0;
