/**
 * Networks and IP leases in the state database. Leases are IPAM: an address is unique per network
 * (primary key), one per container per network, taken in an immediate transaction so parallel
 * `run -d` processes never hand out the same address.
 */
import type { Database } from '../state/database.js';
import { conflict, notFound, SelkieError } from '../errors.js';
import { contains, formatIPv4, lastAddress, parseIPv4, parseSubnet } from './ipv4.js';
import { DEFAULT_NETWORK, type NetworkRecord } from './network-record.js';
import { createHash } from 'node:crypto';

interface Row {
  id: string;
  name: string;
  driver: string;
  bridge: string;
  subnet: string;
  gateway: string;
  internal: number;
  dns_enabled: number;
  labels: string;
  created: number;
}

export interface Lease {
  networkId: string;
  networkName: string;
  ip: string;
  containerId: string;
}

const toRecord = (r: Row): NetworkRecord => ({
  id: r.id,
  name: r.name,
  driver: 'bridge',
  bridge: r.bridge,
  subnet: r.subnet,
  gateway: r.gateway,
  internal: r.internal === 1,
  dnsEnabled: r.dns_enabled === 1,
  labels: JSON.parse(r.labels) as Record<string, string>,
  created: r.created,
});

export class NetworkStore {
  constructor(private readonly db: Database) {}

  /** The default network's record, created on first use (its ID is fixed, as podman's is). */
  defaultNetwork(): NetworkRecord {
    const found = this.byName(DEFAULT_NETWORK.name);
    if (found) return found;
    const rec: NetworkRecord = {
      id: createHash('sha256').update(DEFAULT_NETWORK.name).digest('hex'),
      name: DEFAULT_NETWORK.name,
      driver: 'bridge',
      bridge: DEFAULT_NETWORK.bridge,
      subnet: DEFAULT_NETWORK.subnet,
      gateway: DEFAULT_NETWORK.gateway,
      internal: false,
      dnsEnabled: false,
      labels: {},
      created: Date.now(),
    };
    this.db.prepare(`INSERT OR IGNORE INTO networks(id, name, driver, bridge, subnet, gateway, internal, dns_enabled, labels, created) VALUES (@id, @name, @driver, @bridge, @subnet, @gateway, 0, 0, '{}', @created)`).run(rec);
    return this.byName(DEFAULT_NETWORK.name)!;
  }

  private byName(name: string): NetworkRecord | undefined {
    const row = this.db.prepare('SELECT * FROM networks WHERE name = ?').get(name) as Row | undefined;
    return row ? toRecord(row) : undefined;
  }

  list(): NetworkRecord[] {
    this.defaultNetwork();
    return (this.db.prepare('SELECT * FROM networks ORDER BY name').all() as Row[]).map(toRecord);
  }

  find(nameOrId: string): NetworkRecord | undefined {
    let row = this.db.prepare('SELECT * FROM networks WHERE name = ? OR id = ?').get(nameOrId, nameOrId) as Row | undefined;
    if (!row && /^[0-9a-f]{3,63}$/.test(nameOrId)) {
      const rows = this.db.prepare('SELECT * FROM networks WHERE id LIKE ?').all(`${nameOrId}%`) as Row[];
      if (rows.length > 1) throw conflict(`network ID prefix "${nameOrId}" is ambiguous`, 'give more characters of the ID, or the name');
      row = rows[0];
    }
    if (!row && nameOrId === DEFAULT_NETWORK.name) return this.defaultNetwork();
    return row ? toRecord(row) : undefined;
  }

  mustFind(nameOrId: string): NetworkRecord {
    const n = nameOrId === 'bridge' ? this.defaultNetwork() : this.find(nameOrId);
    if (!n) throw notFound('network', nameOrId, 'list networks with selkie network ls, or create it with selkie network create');
    return n;
  }

  insert(n: NetworkRecord): void {
    try {
      this.db
        .prepare(`INSERT INTO networks(id, name, driver, bridge, subnet, gateway, internal, dns_enabled, labels, created) VALUES (@id, @name, @driver, @bridge, @subnet, @gateway, @internal, @dns, @labels, @created)`)
        .run({ ...n, internal: n.internal ? 1 : 0, dns: n.dnsEnabled ? 1 : 0, labels: JSON.stringify(n.labels) });
    } catch (e) {
      if ((e as { code?: string }).code?.startsWith('SQLITE_CONSTRAINT')) {
        throw conflict(`network name "${n.name}" or interface "${n.bridge}" is already used`, 'choose another name, or remove the existing network');
      }
      throw e;
    }
  }

  delete(id: string): void {
    this.db.prepare('DELETE FROM networks WHERE id = ?').run(id);
  }

  /** Take an address for the container on the network: `wanted` (--ip) or the lowest free one. */
  allocate(n: NetworkRecord, containerId: string, wanted?: string): string {
    const subnet = parseSubnet(n.subnet);
    const gw = parseIPv4(n.gateway)!;
    return this.db.transaction((): string => {
      const existing = this.db.prepare('SELECT ip FROM network_leases WHERE network_id = ? AND container_id = ?').get(n.id, containerId) as { ip: number } | undefined;
      if (existing) return formatIPv4(existing.ip);
      const used = new Set((this.db.prepare('SELECT ip FROM network_leases WHERE network_id = ?').all(n.id) as { ip: number }[]).map((r) => r.ip));
      let ip: number | undefined;
      if (wanted) {
        ip = parseIPv4(wanted);
        if (ip === undefined || !contains(subnet, ip) || ip === gw || ip === subnet.base || ip === lastAddress(subnet)) {
          throw new SelkieError('invalid', `IP address ${wanted} cannot be used on network ${n.name} (${n.subnet}, gateway ${n.gateway})`, { hint: 'pick a free host address inside the subnet' });
        }
        if (used.has(ip)) throw conflict(`IP address ${wanted} is already in use on network ${n.name}`, 'pick another --ip, or none to get a free one');
      } else {
        // Large subnets (the default /16, whose bridge other selkie roots on the host share) are scanned
        // from a random point, so two roots rarely hand out the same address; small ones from the start.
        const first = subnet.base + 1;
        const count = lastAddress(subnet) - first;
        const start = count > 1024 ? Math.floor(Math.random() * count) : 0;
        for (let k = 0; k < count; k++) {
          const c = first + ((start + k) % count);
          if (c !== gw && !used.has(c)) {
            ip = c;
            break;
          }
        }
        if (ip === undefined) throw conflict(`network ${n.name} (${n.subnet}) has no free IP address left`, 'remove containers from it, or use a network with a larger subnet');
      }
      this.db.prepare('INSERT INTO network_leases(network_id, ip, container_id) VALUES (?, ?, ?)').run(n.id, ip, containerId);
      return formatIPv4(ip);
    }).immediate();
  }

  release(containerId: string, networkId?: string): void {
    if (networkId) this.db.prepare('DELETE FROM network_leases WHERE container_id = ? AND network_id = ?').run(containerId, networkId);
    else this.db.prepare('DELETE FROM network_leases WHERE container_id = ?').run(containerId);
  }

  /** Drop every lease (the run root was reset: no container holds a namespace any more). */
  releaseAll(): void {
    this.db.prepare('DELETE FROM network_leases').run();
  }

  leasesOf(containerId: string): Lease[] {
    const rows = this.db
      .prepare('SELECT l.network_id, n.name, l.ip, l.container_id FROM network_leases l JOIN networks n ON n.id = l.network_id WHERE l.container_id = ?')
      .all(containerId) as { network_id: string; name: string; ip: number; container_id: string }[];
    return rows.map((r) => ({ networkId: r.network_id, networkName: r.name, ip: formatIPv4(r.ip), containerId: r.container_id }));
  }

  leasesOn(networkId: string): Lease[] {
    const rows = this.db.prepare('SELECT l.network_id, n.name, l.ip, l.container_id FROM network_leases l JOIN networks n ON n.id = l.network_id WHERE l.network_id = ?').all(networkId) as {
      network_id: string;
      name: string;
      ip: number;
      container_id: string;
    }[];
    return rows.map((r) => ({ networkId: r.network_id, networkName: r.name, ip: formatIPv4(r.ip), containerId: r.container_id }));
  }

  /** Update a container's stored config (network connect/disconnect). */
  updateContainerSpec(containerId: string, spec: unknown): void {
    this.db.prepare('UPDATE containers SET spec = ? WHERE id = ?').run(JSON.stringify(spec), containerId);
  }
}
