import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatIdMap, mappingKey, parseIdMap, resolveIdMappings, toContainer, toHost } from '../../../src/engine/containers/id-mappings.js';

describe('ID mappings', () => {
  it('parses CONTAINER:HOST:SIZE triples, several joined by commas', () => {
    expect(parseIdMap('0:100000:65536', '--uidmap')).toEqual([{ containerID: 0, hostID: 100000, size: 65536 }]);
    expect(parseIdMap('0:1000:1,1:100000:999', '--uidmap')).toEqual([
      { containerID: 0, hostID: 1000, size: 1 },
      { containerID: 1, hostID: 100000, size: 999 },
    ]);
  });

  it.each(['', '0:1', '0:1:2:3', '-1:0:1', 'a:b:c', '0:100000:0', '0:4294967295:2'])('refuses %j', (bad) => {
    expect(() => parseIdMap(bad, '--uidmap')).toThrow(/invalid --uidmap/);
  });

  it('uses one map for both when only one is given, as Podman does', () => {
    expect(resolveIdMappings({ uidmap: ['0:100000:65536'] })).toEqual({
      uidMap: [{ containerID: 0, hostID: 100000, size: 65536 }],
      gidMap: [{ containerID: 0, hostID: 100000, size: 65536 }],
    });
    expect(resolveIdMappings({ gidmap: ['0:5:1'] })?.uidMap).toEqual([{ containerID: 0, hostID: 5, size: 1 }]);
    expect(resolveIdMappings({})).toBeUndefined();
    expect(resolveIdMappings({ uidmap: [], gidmap: [] })).toBeUndefined();
  });

  it('refuses overlapping container or host ranges', () => {
    expect(() => resolveIdMappings({ uidmap: ['0:100000:10', '5:200000:10'] })).toThrow(/overlap/);
    expect(() => resolveIdMappings({ uidmap: ['0:100000:10', '10:100005:10'] })).toThrow(/overlap/);
    expect(() => resolveIdMappings({ uidmap: ['0:100000:10', '10:100010:10'] })).not.toThrow();
  });

  it('reads subordinate ranges by name', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'subid-'));
    const files = { subuid: path.join(dir, 'subuid'), subgid: path.join(dir, 'subgid') };
    fs.writeFileSync(files.subuid, 'alice:100000:65536\nbob:165536:65536\n');
    fs.writeFileSync(files.subgid, 'bob:300000:1000\n');
    expect(resolveIdMappings({ subuidname: 'bob', subgidname: 'bob' }, files)).toEqual({
      uidMap: [{ containerID: 0, hostID: 165536, size: 65536 }],
      gidMap: [{ containerID: 0, hostID: 300000, size: 1000 }],
    });
    expect(() => resolveIdMappings({ subuidname: 'carol' }, files)).toThrow(/no subordinate IDs for "carol"/);
    fs.rmSync(dir, { recursive: true });
  });

  it('translates IDs both ways and leaves unmapped ones out', () => {
    const map = parseIdMap('0:1000:1,1:100000:999', '--uidmap');
    expect(toHost(map, 0)).toBe(1000);
    expect(toHost(map, 5)).toBe(100004);
    expect(toHost(map, 1000)).toBeUndefined();
    expect(toContainer(map, 100004)).toBe(5);
    expect(toContainer(map, 0)).toBeUndefined();
    expect(formatIdMap(map)).toEqual(['0:1000:1', '1:100000:999']);
  });

  it('keys equal mappings equally', () => {
    const a = resolveIdMappings({ uidmap: ['0:100000:65536'] })!;
    const b = resolveIdMappings({ uidmap: ['0:100000:65536'], gidmap: ['0:100000:65536'] })!;
    const c = resolveIdMappings({ uidmap: ['0:200000:65536'] })!;
    expect(mappingKey(a)).toBe(mappingKey(b));
    expect(mappingKey(a)).not.toBe(mappingKey(c));
  });
});
