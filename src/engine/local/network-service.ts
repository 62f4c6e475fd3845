/**
 * The local NetworkService: network records in the state database; bridges, nft elements and
 * aardvark-dns files on the host (network/). Bridges are made on first use by a container.
 */
import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import type { NetworkService } from '../engine.js';
import { conflict, invalid, SelkieError, usageError } from '../errors.js';
import type { ContainerRecord } from '../containers/container-record.js';
import { netConfigOf, type NetworkedConfig } from '../network/container-network-config.js';
import { formatIPv4, formatSubnet, overlaps, parseIPv4, parseSubnet, contains, lastAddress, macForIPv4, type Subnet } from '../network/ipv4.js';
import { hostRoutes } from '../network/host-routes.js';
import { DEFAULT_NETWORK, toNetworkInspect, type NetworkCreateOptions, type NetworkInspect, type NetworkRecord } from '../network/network-record.js';
import { ensureBridge, removeBridge } from '../network/bridge-setup.js';
import { addInterfaces, removeInterface, vethName } from '../network/netns.js';
import type { NetworkConnectOptions, NetworkListOptions } from '../types/network.js';
import type { Resources } from './resources.js';

const validNetworkName = (n: string) => /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(n);

export class LocalNetworkService implements NetworkService {
  constructor(
    private readonly res: Resources,
    private readonly removeContainer: (id: string) => Promise<void>,
  ) {}

  async create(opts: NetworkCreateOptions): Promise<NetworkInspect> {
    const store = await this.res.networks();
    if (this.res.paths.rootless) throw usageError('bridge networks need root', 'run selkie network create as root');
    const driver = opts.driver ?? 'bridge';
    if (driver !== 'bridge') throw usageError(`unsupported network driver "${driver}"`, 'the bridge driver is supported');
    const all = store.list();
    const name = opts.name ?? this.freeName(all);
    if (!validNetworkName(name)) throw usageError(`invalid network name "${name}"`, 'names match [a-zA-Z0-9][a-zA-Z0-9_.-]*');
    const existing = all.find((n) => n.name === name);
    if (existing) {
      if (opts.ignore) return toNetworkInspect(existing);
      throw conflict(`network name ${name} already used`, 'choose another name, or remove the network with selkie network rm');
    }
    if (opts.gateway && !opts.subnet) throw usageError('--gateway needs --subnet');
    const subnet = opts.subnet ? parseSubnet(opts.subnet) : this.freeSubnet(all);
    if (opts.subnet) {
      const clash = all.find((n) => overlaps(parseSubnet(n.subnet), subnet));
      if (clash) throw conflict(`subnet ${formatSubnet(subnet)} overlaps with the subnet ${clash.subnet} of network ${clash.name}`, 'choose a subnet no other network uses');
      const route = hostRoutes().find((r) => overlaps(r, subnet) && !all.some((n) => n.bridge === r.iface));
      if (route) throw conflict(`subnet ${formatSubnet(subnet)} is already used on the host (route ${formatSubnet(route)} on ${route.iface})`, 'choose another subnet');
    }
    let gateway = (subnet.base + 1) >>> 0;
    if (opts.gateway) {
      const g = parseIPv4(opts.gateway);
      if (g === undefined || !contains(subnet, g) || g === subnet.base || g === lastAddress(subnet)) {
        throw invalid(`gateway ${opts.gateway} is not a host address of subnet ${formatSubnet(subnet)}`, 'give an address inside the subnet');
      }
      gateway = g;
    }
    const id = randomBytes(32).toString('hex');
    // Named after the ID (as Docker's br-ID), so networks of different roots never pick the same bridge.
    const bridge = opts.interfaceName ?? `skbr${id.slice(0, 10)}`;
    if (fs.existsSync(`/sys/class/net/${bridge}`)) throw conflict(`network interface ${bridge} already exists on the host`, 'choose another --interface-name');
    if (!/^[a-zA-Z0-9_.-]{1,15}$/.test(bridge)) throw usageError(`invalid interface name "${bridge}"`, 'at most 15 characters of [a-zA-Z0-9_.-]');
    const rec: NetworkRecord = {
      id,
      name,
      driver: 'bridge',
      bridge,
      subnet: formatSubnet(subnet),
      gateway: formatIPv4(gateway),
      internal: Boolean(opts.internal),
      dnsEnabled: !opts.disableDns,
      labels: opts.labels ?? {},
      created: Date.now(),
    };
    store.insert(rec);
    return toNetworkInspect(rec);
  }

  async list(opts: NetworkListOptions = {}): Promise<NetworkInspect[]> {
    const store = await this.res.networks();
    const keep = networkFilter(opts.filters ?? {});
    return store.list().filter(keep).map(toNetworkInspect);
  }

  async inspect(nameOrId: string): Promise<NetworkInspect> {
    return toNetworkInspect((await this.res.networks()).mustFind(nameOrId));
  }

  async exists(nameOrId: string): Promise<boolean> {
    return Boolean((await this.res.networks()).find(nameOrId));
  }

  async remove(nameOrId: string, opts: { force?: boolean } = {}): Promise<string> {
    const store = await this.res.networks();
    const n = store.mustFind(nameOrId);
    if (n.name === DEFAULT_NETWORK.name) throw conflict(`the default network ${n.name} cannot be removed`);
    const users = await this.containersOn(n.id);
    if (users.length && !opts.force) {
      throw conflict(`network ${n.name} is used by container(s) ${users.map((c) => c.name).join(', ')}`, 'remove them first, or use network rm -f to remove them too');
    }
    for (const c of users) await this.removeContainer(c.id);
    store.delete(n.id);
    await removeBridge(n);
    await this.res.networking().aardvark().update(n.name, n.gateway, []);
    return n.name;
  }

  async prune(opts: NetworkListOptions = {}): Promise<string[]> {
    const store = await this.res.networks();
    const keep = networkFilter(opts.filters ?? {});
    const removed: string[] = [];
    for (const n of store.list().filter(keep)) {
      if (n.name === DEFAULT_NETWORK.name || (await this.containersOn(n.id)).length) continue;
      store.delete(n.id);
      await removeBridge(n);
      removed.push(n.name);
    }
    return removed;
  }

  async connect(network: string, container: string, opts: NetworkConnectOptions = {}): Promise<void> {
    const store = await this.res.networks();
    const containers = await this.res.containers();
    const n = store.mustFind(network);
    const c = containers.mustFind(container);
    if (c.config.network !== 'bridge') throw conflict(`container ${c.name} uses --network ${c.config.network}: it cannot join bridge networks`);
    const cfg = netConfigOf(c.config)!;
    if (cfg.networks.some((w) => w.id === n.id)) throw conflict(`container ${c.name} is already connected to network ${n.name}`);
    const index = cfg.networks.length;
    const next = { ...cfg, networks: [...cfg.networks, { id: n.id, name: n.name, ip: opts.ip, aliases: opts.aliases ?? [] }] };
    if (c.state === 'running' || c.state === 'paused') {
      const ip = store.allocate(n, c.id, opts.ip);
      try {
        await ensureBridge(n);
        await addInterfaces(this.res.networking().nsPath(c.id), [
          { ifname: `eth${index}`, peer: vethName(c.id, n.name), bridge: n.bridge, mac: macForIPv4(parseIPv4(ip)!), ip, prefix: parseSubnet(n.subnet).prefix, gateway: n.gateway, defaultRoute: false },
        ]);
      } catch (e) {
        store.release(c.id, n.id);
        throw e;
      }
    }
    store.updateContainerSpec(c.id, { ...c.config, net: next } satisfies NetworkedConfig);
    if (n.dnsEnabled && (c.state === 'running' || c.state === 'paused')) await this.res.networking().refreshDns([n]);
  }

  async disconnect(network: string, container: string, _opts: { force?: boolean } = {}): Promise<void> {
    const store = await this.res.networks();
    const containers = await this.res.containers();
    const n = store.mustFind(network);
    const c = containers.mustFind(container);
    const cfg = netConfigOf(c.config);
    if (!cfg?.networks.some((w) => w.id === n.id)) throw conflict(`container ${c.name} is not connected to network ${n.name}`);
    await removeInterface(vethName(c.id, n.name));
    store.release(c.id, n.id);
    store.updateContainerSpec(c.id, { ...c.config, net: { ...cfg, networks: cfg.networks.filter((w) => w.id !== n.id) } } satisfies NetworkedConfig);
    if (n.dnsEnabled) await this.res.networking().refreshDns([n]);
  }

  private async containersOn(networkId: string): Promise<ContainerRecord[]> {
    return (await this.res.containers()).list().filter((c) => netConfigOf(c.config)?.networks.some((w) => w.id === networkId));
  }

  private freeName(all: NetworkRecord[]): string {
    for (let i = 1; ; i++) if (!all.some((n) => n.name === `selkie${i}`)) return `selkie${i}`;
  }

  /** The first 10.78.N.0/24 that no network and no host route uses. */
  private freeSubnet(all: NetworkRecord[]): Subnet {
    const used = [...all.map((n) => parseSubnet(n.subnet)), ...hostRoutes()];
    for (let i = 0; i < 256; i++) {
      const s: Subnet = { base: parseIPv4(`10.78.${i}.0`)!, prefix: 24 };
      if (!used.some((u) => overlaps(u, s))) return s;
    }
    throw conflict('no free subnet left in 10.78.0.0/16 for a new network', 'give one with --subnet');
  }
}

/** podman's network ls filters: name (substring/regexp), id (prefix), driver, label, label!. */
function networkFilter(filters: Record<string, string[]>): (n: NetworkRecord) => boolean {
  const labelMatch = (n: NetworkRecord, f: string) => {
    const [k, v] = f.split('=', 2) as [string, string | undefined];
    return k in n.labels && (v === undefined || n.labels[k] === v);
  };
  for (const key of Object.keys(filters)) {
    if (!['name', 'id', 'driver', 'label', 'label!'].includes(key)) throw usageError(`invalid network filter "${key}"`, 'filters: name, id, driver, label, label!');
  }
  return (n) =>
    (!filters.name?.length || filters.name.some((f) => new RegExp(f).test(n.name))) &&
    (!filters.id?.length || filters.id.some((f) => n.id.startsWith(f))) &&
    (!filters.driver?.length || filters.driver.includes(n.driver)) &&
    (!filters.label?.length || filters.label.every((f) => labelMatch(n, f))) &&
    (!filters['label!']?.length || filters['label!'].every((f) => !labelMatch(n, f)));
}
