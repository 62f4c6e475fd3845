/**
 * A container's network for one run: set up at start (IP leases, the bridge if it is missing, the
 * namespace with its veths, published ports, aardvark-dns entries) and torn down at cleanup. The
 * namespace is made while the root filesystem and bundle are prepared: `setup` returns at once with
 * the namespace path, and `nsReady` / `ready` say when runc may join it / when the container may run.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ContainerRecord } from '../containers/container-record.js';
import type { ContainerStore } from '../containers/container-store.js';
import type { NetworkNamespace } from '../runtime/oci-spec.js';
import { conflict } from '../errors.js';
import { Aardvark } from './aardvark.js';
import { ensureBridge } from './bridge-setup.js';
import { netConfigOf } from './container-network-config.js';
import { macForIPv4, parseIPv4 } from './ipv4.js';
import { adoptNetns, attachPeers, createNetns, netnsPath, removeNetns, vethName, type VethSpec } from './netns.js';
import { publishPorts, unpublishPorts } from './nft-rules.js';
import type { NetworkRecord } from './network-record.js';
import type { NetworkStore } from './network-store.js';
import { portBindings } from './port-mappings.js';
import { slirpNetworkRun, teardownSlirp } from '../rootless/slirp.js';

export interface EtcNetwork {
  /** Extra /etc/hosts lines ("IP\tnames"). */
  hostEntries: string[];
  /** --add-host values with host-gateway replaced by the network's gateway. */
  extraHosts?: string[];
  /** resolv.conf overrides; undefined fields keep the host's. */
  nameservers?: string[];
  search?: string[];
  options?: string[];
}

export interface NetworkRun {
  namespace: NetworkNamespace;
  etc: EtcNetwork;
  /** The namespace file exists: the runtime may join it. */
  nsReady: Promise<unknown>;
  /** Everything is set up (veths on their bridges, ports published). */
  ready: Promise<unknown>;
  /**
   * Set for a container in a user namespace: the runtime makes its netns (it must be owned by the
   * container's user namespace), and the set-up completes once it is told the container's PID —
   * or `undefined` when the runtime failed, which ends the set-up with an error.
   */
  created?: (pid: number | undefined) => void;
}

export class ContainerNetworking {
  /** Set-ups still running in this process: a teardown waits for them first. */
  private readonly inflight = new Map<string, Promise<unknown>>();
  private readonly portsNotPublished = new Set<string>();

  constructor(
    private readonly runRoot: string,
    private readonly networks: () => Promise<NetworkStore>,
    private readonly containers: () => Promise<ContainerStore>,
  ) {}

  nsPath(id: string): string {
    return netnsPath(this.runRoot, id);
  }

  aardvark(): Aardvark {
    return new Aardvark(path.join(this.runRoot, 'networks', 'aardvark-dns'));
  }

  async setup(c: ContainerRecord): Promise<NetworkRun> {
    const cfg = netConfigOf(c.config);
    const mode = c.config.network;
    const etc: EtcNetwork = { hostEntries: [], ...dnsOverrides(cfg) };
    if (mode === 'host') return { namespace: 'host', etc, nsReady: Promise.resolve(), ready: Promise.resolve() };
    if (mode.startsWith('container:')) {
      const other = (await this.containers()).mustFind(mode.slice('container:'.length));
      if (other.state !== 'running' && other.state !== 'paused') throw conflict(`cannot join the network of container ${other.name}: it is not running`, `start ${other.name} first`);
      const otherMode = other.config.network;
      const ns = otherMode === 'host' ? 'host' : otherMode === 'bridge' ? { path: this.nsPath(other.id) } : { path: `/proc/${other.pid}/ns/net` };
      return { namespace: ns, etc, nsReady: Promise.resolve(), ready: Promise.resolve() };
    }
    if (mode === 'slirp4netns') {
      const run = slirpNetworkRun(this.runRoot, c, cfg?.ports ?? [], Boolean(cfg?.dns.length));
      etc.hostEntries.push(...run.hostEntries);
      etc.nameservers ??= run.nameservers;
      this.inflight.set(c.id, run.ready);
      return { namespace: run.namespace, etc, nsReady: run.nsReady, ready: run.ready };
    }
    if (mode !== 'bridge' || !cfg?.networks.length) return { namespace: 'new', etc, nsReady: Promise.resolve(), ready: Promise.resolve() };

    const store = await this.networks();
    const joined: { n: NetworkRecord; ip: string; aliases: string[] }[] = [];
    try {
      for (const want of cfg.networks) {
        const n = store.mustFind(want.id);
        joined.push({ n, ip: store.allocate(n, c.id, want.ip), aliases: want.aliases });
      }
    } catch (e) {
      store.release(c.id);
      throw e;
    }
    const first = joined[0]!;
    etc.extraHosts = cfg.extraHosts.map((h) => h.replace(/:host-gateway$/, `:${first.n.gateway}`));
    etc.hostEntries.push(`${first.ip}\t${c.config.hostname} ${c.name}`, `${first.n.gateway}\thost.containers.internal`);
    const dnsNets = joined.filter((j) => j.n.dnsEnabled);
    if (dnsNets.length && !cfg.dns.length) {
      etc.nameservers = dnsNets.map((j) => j.n.gateway);
      etc.search = ['dns.podman', ...(cfg.dnsSearch ?? [])];
    }
    const file = this.nsPath(c.id);
    let routed = false;
    const vs: VethSpec[] = joined.map((j, i) => {
      const defaultRoute = !routed && !j.n.internal;
      if (defaultRoute) routed = true;
      return {
        ifname: `eth${i}`,
        peer: vethName(c.id, j.n.name),
        bridge: j.n.bridge,
        mac: macForIPv4(parseIPv4(j.ip)!),
        ip: j.ip,
        prefix: Number(j.n.subnet.split('/')[1]),
        gateway: j.n.gateway,
        defaultRoute,
      };
    });
    // Left over from a run that was never torn down: its veths and ports would collide.
    const stale = fs.existsSync(file) ? Promise.all([removeNetns(file), unpublishPorts(cfg.ports)]) : Promise.resolve();
    const ports = stale
      .then(() => publishPorts(cfg.ports, first.ip, c.name))
      .catch((e) => {
        this.portsNotPublished.add(c.id); // a port another container holds: its element is not ours to delete
        throw e;
      });
    // A container with its own user namespace gets its netns from the runtime; it is adopted once created.
    let created: NetworkRun['created'];
    const pid = c.config.idMappings
      ? new Promise<number>((resolve, reject) => {
          created = (p) => (p === undefined ? reject(new Error('the container was not created')) : resolve(p));
        })
      : undefined;
    const nsReady = Promise.all([
      (async () => {
        await stale;
        await Promise.all(joined.map((j) => ensureBridge(j.n)));
        if (pid) await adoptNetns(file, await pid, vs);
        else await createNetns(file, vs);
      })(),
      ports,
    ]).then(() => undefined);
    // The bridge attachment and DNS entries may complete while the runtime creates the container.
    // A failure is the caller's to clean up (teardown), once it stopped using the namespace.
    const ready = nsReady.then(() => attachPeers(vs)).then(() => this.refreshDns(dnsNets.map((j) => j.n)));
    ports.catch(() => {});
    nsReady.catch(() => {});
    ready.catch(() => {});
    this.inflight.set(c.id, ready);
    return { namespace: pid ? 'new' : { path: file }, etc, nsReady, ready, ...(created ? { created } : {}) };
  }

  /** Release the run's network: ports, namespace (and veths), leases, DNS entries. Idempotent and cheap when nothing is held. */
  async teardown(c: ContainerRecord): Promise<void> {
    if (c.config.network !== 'bridge' && c.config.network !== 'slirp4netns') return;
    const pending = this.inflight.get(c.id);
    if (pending) {
      this.inflight.delete(c.id);
      await pending.catch(() => {});
    }
    if (c.config.network === 'slirp4netns') return teardownSlirp(this.runRoot, c.id);
    const keepPorts = this.portsNotPublished.delete(c.id);
    const store = await this.networks();
    const leases = store.leasesOf(c.id);
    const cfg = netConfigOf(c.config);
    await Promise.all([leases.length && cfg?.ports.length && !keepPorts ? unpublishPorts(cfg.ports) : undefined, removeNetns(this.nsPath(c.id))]);
    if (!leases.length) return;
    store.release(c.id);
    const dnsNets = leases.map((l) => store.find(l.networkId)).filter((n): n is NetworkRecord => Boolean(n?.dnsEnabled));
    await this.refreshDns(dnsNets);
  }

  /** Rewrite the aardvark-dns files of these networks from their leases. */
  async refreshDns(nets: NetworkRecord[]): Promise<void> {
    if (!nets.length) return;
    const store = await this.networks();
    const containers = await this.containers();
    const av = this.aardvark();
    for (const n of nets) {
      const entries = store.leasesOn(n.id).flatMap((l) => {
        const rec = containers.get(l.containerId);
        if (!rec) return [];
        const want = netConfigOf(rec.config)?.networks.find((w) => w.id === n.id);
        return [{ containerId: l.containerId, ip: l.ip, names: [rec.name, ...(want?.aliases ?? []), rec.id.slice(0, 12)] }];
      });
      await av.update(n.name, n.gateway, entries);
    }
  }

  /** inspect's NetworkSettings, as Docker prints it. */
  async settings(c: ContainerRecord): Promise<Record<string, unknown>> {
    const cfg = netConfigOf(c.config);
    const ports = portBindings(cfg?.ports ?? []);
    const running = c.state === 'running' || c.state === 'paused';
    const base = { Bridge: '', SandboxID: '', HairpinMode: false, SandboxKey: running && c.config.network === 'bridge' ? this.nsPath(c.id) : '', Ports: ports };
    if (c.config.network !== 'bridge') return { ...base, IPAddress: '', Gateway: '', IPPrefixLen: 0, MacAddress: '', Networks: {} };
    const store = await this.networks();
    const leases = new Map(store.leasesOf(c.id).map((l) => [l.networkId, l.ip]));
    const networks: Record<string, unknown> = {};
    for (const w of cfg?.networks ?? []) {
      const n = store.find(w.id);
      const ip = leases.get(w.id) ?? '';
      networks[w.name] = {
        EndpointID: '',
        Gateway: ip && n ? n.gateway : '',
        IPAddress: ip,
        IPPrefixLen: ip && n ? Number(n.subnet.split('/')[1]) : 0,
        IPv6Gateway: '',
        GlobalIPv6Address: '',
        GlobalIPv6PrefixLen: 0,
        MacAddress: ip ? macForIPv4(parseIPv4(ip)!) : '',
        NetworkID: w.id,
        DriverOpts: null,
        IPAMConfig: w.ip ? { IPv4Address: w.ip } : null,
        Links: null,
        Aliases: [...w.aliases, c.id.slice(0, 12)],
      };
    }
    const first = Object.values(networks)[0] as { IPAddress: string; Gateway: string; IPPrefixLen: number; MacAddress: string } | undefined;
    return { ...base, IPAddress: first?.IPAddress ?? '', Gateway: first?.Gateway ?? '', IPPrefixLen: first?.IPPrefixLen ?? 0, MacAddress: first?.MacAddress ?? '', Networks: networks };
  }
}

function dnsOverrides(cfg: ReturnType<typeof netConfigOf>): Omit<EtcNetwork, 'hostEntries'> {
  const out: Omit<EtcNetwork, 'hostEntries'> = {};
  if (cfg?.dns.length) out.nameservers = cfg.dns.filter((d) => d !== 'none');
  if (cfg?.dnsSearch.length) out.search = cfg.dnsSearch;
  if (cfg?.dnsOptions.length) out.options = cfg.dnsOptions;
  return out;
}

