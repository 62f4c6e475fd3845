import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NetworkStore } from '../../../../src/engine/network/network-store.js';
import { formatSubnet, overlaps, parseSubnet } from '../../../../src/engine/network/ipv4.js';
import type { NetworkRecord } from '../../../../src/engine/network/network-record.js';
import { openDatabase, type Database } from '../../../../src/engine/state/database.js';
import { isSelkieError } from '../../../../src/engine/errors.js';

let dir: string;
let db: Database;
let store: NetworkStore;

const net = (name: string, subnet: string, gateway: string): NetworkRecord => ({
  id: `${name}-id`.padEnd(64, '0'),
  name,
  driver: 'bridge',
  bridge: `br-${name}`,
  subnet,
  gateway,
  internal: false,
  dnsEnabled: true,
  labels: {},
  created: 1,
});

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'selkie-ipam-'));
  db = openDatabase(path.join(dir, 'selkie.db'), { storageDriver: 'vfs' });
  store = new NetworkStore(db);
});
afterEach(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('IPAM in the state database', () => {
  it('has the default network selkie on 10.77.0.0/16 and resolves "bridge" to it', () => {
    const d = store.mustFind('bridge');
    expect([d.name, d.bridge, d.subnet, d.gateway]).toEqual(['selkie', 'selkie0', '10.77.0.0/16', '10.77.0.1']);
    expect(store.list().map((n) => n.name)).toEqual(['selkie']);
  });

  it('hands out the lowest free address, skips the gateway, reuses released ones, one per container', () => {
    const n = net('t1', '10.250.0.0/29', '10.250.0.1');
    store.insert(n);
    expect(store.allocate(n, 'c1')).toBe('10.250.0.2');
    expect(store.allocate(n, 'c2')).toBe('10.250.0.3');
    expect(store.allocate(n, 'c1')).toBe('10.250.0.2'); // same container, same lease
    store.release('c1');
    expect(store.allocate(n, 'c3')).toBe('10.250.0.2');
    expect(store.leasesOn(n.id).map((l) => [l.containerId, l.ip])).toEqual(expect.arrayContaining([['c2', '10.250.0.3'], ['c3', '10.250.0.2']]));
  });

  it('runs out cleanly and refuses taken or foreign --ip addresses', () => {
    const n = net('t2', '10.250.1.0/30', '10.250.1.1'); // one usable host address besides the gateway
    store.insert(n);
    expect(store.allocate(n, 'a')).toBe('10.250.1.2');
    expect(() => store.allocate(n, 'b')).toThrow(/no free IP address/);
    const m = net('t3', '10.250.2.0/24', '10.250.2.1');
    store.insert(m);
    expect(store.allocate(m, 'x', '10.250.2.50')).toBe('10.250.2.50');
    for (const bad of ['10.250.2.50', '10.250.2.1', '10.250.3.5', '10.250.2.255', 'nope']) {
      let err: unknown;
      try {
        store.allocate(m, 'y', bad);
      } catch (e) {
        err = e;
      }
      expect(isSelkieError(err)).toBe(true);
    }
  });

  it('keeps names and bridges unique, and leases go with their network', () => {
    const n = net('t4', '10.250.4.0/24', '10.250.4.1');
    store.insert(n);
    expect(() => store.insert({ ...n, id: 'other'.padEnd(64, '1') })).toThrow(/already used/);
    store.allocate(n, 'c');
    store.delete(n.id);
    expect(store.leasesOf('c')).toEqual([]);
  });

  it('subnet arithmetic', () => {
    expect(formatSubnet(parseSubnet('10.1.0.0/16'))).toBe('10.1.0.0/16');
    expect(() => parseSubnet('10.1.0.1/16')).toThrow(/host bits/);
    expect(() => parseSubnet('10.1.0.0/33')).toThrow(/invalid subnet/);
    expect(overlaps(parseSubnet('10.1.0.0/16'), parseSubnet('10.1.5.0/24'))).toBe(true);
    expect(overlaps(parseSubnet('10.1.0.0/16'), parseSubnet('10.2.0.0/16'))).toBe(false);
  });
});
