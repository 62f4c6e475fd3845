/**
 * User-namespace ID mappings of a container (`--uidmap`, `--gidmap`, `--subuidname`, `--subgidname`),
 * as the OCI spec writes them: container IDs [containerID, containerID+size) are host IDs
 * [hostID, hostID+size). Podman's rules: a --uidmap without --gidmap maps GIDs the same way (and the
 * other way round); a subordinate-ID name maps container 0.. to that name's range in /etc/subuid.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { invalid } from '../errors.js';

export interface IdMapping {
  containerID: number;
  hostID: number;
  size: number;
}

export interface IdMappings {
  uidMap: IdMapping[];
  gidMap: IdMapping[];
}

export interface IdMappingFlags {
  uidmap?: string[];
  gidmap?: string[];
  subuidname?: string;
  subgidname?: string;
}

const MAX_ID = 2 ** 32 - 1;

/** One `CONTAINER:HOST:SIZE` triple (several may be joined with commas). */
export function parseIdMap(text: string, flag: string): IdMapping[] {
  const out: IdMapping[] = [];
  for (const part of text.split(',')) {
    const fields = part.trim().split(':');
    const nums = fields.map((f) => (/^\d+$/.test(f) ? Number(f) : NaN));
    if (fields.length !== 3 || nums.some((n) => !Number.isSafeInteger(n))) {
      throw invalid(`invalid ${flag} "${part}": expected CONTAINER_ID:HOST_ID:SIZE`, `for example ${flag} 0:100000:65536`);
    }
    const [containerID, hostID, size] = nums as [number, number, number];
    if (size < 1) throw invalid(`invalid ${flag} "${part}": the size must be at least 1`);
    if (containerID + size - 1 > MAX_ID || hostID + size - 1 > MAX_ID) throw invalid(`invalid ${flag} "${part}": IDs beyond ${MAX_ID}`);
    out.push({ containerID, hostID, size });
  }
  return out;
}

/** Refuse mappings whose container or host ranges overlap (the kernel would refuse them at start). */
function checkOverlaps(map: IdMapping[], flag: string): void {
  const sorted = (key: 'containerID' | 'hostID') => [...map].sort((a, b) => a[key] - b[key]);
  for (const key of ['containerID', 'hostID'] as const) {
    const s = sorted(key);
    for (let i = 1; i < s.length; i++) {
      if (s[i]![key] < s[i - 1]![key] + s[i - 1]!.size) {
        throw invalid(`invalid ${flag}: the ranges ${fmt(s[i - 1]!)} and ${fmt(s[i]!)} overlap`);
      }
    }
  }
}

const fmt = (m: IdMapping) => `${m.containerID}:${m.hostID}:${m.size}`;

/** The range of a user or group name in /etc/subuid or /etc/subgid (the first one listed). */
export function subordinateRange(file: string, name: string): { start: number; count: number } {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw invalid(`cannot read ${file} for the subordinate IDs of "${name}"`, `add a line "${name}:100000:65536" to ${file}`);
  }
  for (const line of text.split('\n')) {
    const [who, start, count] = line.trim().split(':');
    if (who === name && /^\d+$/.test(start ?? '') && /^\d+$/.test(count ?? '')) return { start: Number(start), count: Number(count) };
  }
  throw invalid(`no subordinate IDs for "${name}" in ${file}`, `add a line "${name}:100000:65536" to ${file}`);
}

/** The mappings the flags ask for, or undefined for the host's user namespace. */
export function resolveIdMappings(flags: IdMappingFlags, files = { subuid: '/etc/subuid', subgid: '/etc/subgid' }): IdMappings | undefined {
  let uidMap = (flags.uidmap ?? []).flatMap((m) => parseIdMap(m, '--uidmap'));
  let gidMap = (flags.gidmap ?? []).flatMap((m) => parseIdMap(m, '--gidmap'));
  if (flags.subuidname) {
    const r = subordinateRange(files.subuid, flags.subuidname);
    uidMap = [{ containerID: 0, hostID: r.start, size: r.count }];
  }
  if (flags.subgidname) {
    const r = subordinateRange(files.subgid, flags.subgidname);
    gidMap = [{ containerID: 0, hostID: r.start, size: r.count }];
  }
  if (uidMap.length === 0 && gidMap.length === 0) return undefined;
  if (uidMap.length === 0) uidMap = gidMap.map((m) => ({ ...m }));
  if (gidMap.length === 0) gidMap = uidMap.map((m) => ({ ...m }));
  checkOverlaps(uidMap, '--uidmap');
  checkOverlaps(gidMap, '--gidmap');
  return { uidMap, gidMap };
}

/** The host ID of a container ID, or undefined when the mapping leaves it out. */
export function toHost(map: readonly IdMapping[], id: number): number | undefined {
  for (const m of map) if (id >= m.containerID && id < m.containerID + m.size) return m.hostID + (id - m.containerID);
  return undefined;
}

/** The container ID of a host ID, or undefined when the mapping leaves it out. */
export function toContainer(map: readonly IdMapping[], id: number): number | undefined {
  for (const m of map) if (id >= m.hostID && id < m.hostID + m.size) return m.containerID + (id - m.hostID);
  return undefined;
}

/** A short stable name of a mapping pair: containers with equal mappings share shifted layers. */
export function mappingKey(maps: IdMappings): string {
  const text = JSON.stringify([maps.uidMap.map(fmt), maps.gidMap.map(fmt)]);
  return crypto.createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/** `podman inspect`'s HostConfig.IDMappings form: "0:100000:65536". */
export function formatIdMap(map: readonly IdMapping[]): string[] {
  return map.map(fmt);
}
