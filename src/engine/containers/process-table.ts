/**
 * `top` columns from /proc, with Podman's (psgo's) descriptors and their AIX-style aliases (%C, %U…).
 * Container view (user, group, pid, ppid, uid) and host view (huser, hgroup, hpid, huid) differ with
 * namespaces: the container's PID is the last NSpid entry, its IDs are the host's mapped back through
 * the process's uid_map/gid_map and named by the container's /etc/passwd and /etc/group. Security
 * columns: capabilities by name ("full" = all, "none" = empty), seccomp mode, SELinux label ("-"
 * where SELinux is off). Durations print as Go does ("1m2.5s").
 */
import fs from 'node:fs';
import path from 'node:path';
import { invalid } from '../errors.js';
import { ALL_CAPABILITIES, capabilitiesFromMask } from '../runtime/capabilities.js';

const CLK_TCK = 100;
const PAGE_KB = 4;

export const descriptors: Record<string, string> = {
  args: 'COMMAND',
  capamb: 'AMBIENT CAPS',
  capbnd: 'BOUNDING CAPS',
  capeff: 'EFFECTIVE CAPS',
  capinh: 'INHERITED CAPS',
  capprm: 'PERMITTED CAPS',
  comm: 'COMMAND',
  etime: 'ELAPSED',
  group: 'GROUP',
  groups: 'GROUPS',
  hgroup: 'HGROUP',
  hgroups: 'HGROUPS',
  hpid: 'HPID',
  huid: 'HUID',
  huser: 'HUSER',
  label: 'LABEL',
  nice: 'NI',
  pcpu: '%CPU',
  pgid: 'PGID',
  pid: 'PID',
  ppid: 'PPID',
  rgroup: 'RGROUP',
  rss: 'RSS',
  ruser: 'RUSER',
  seccomp: 'SECCOMP',
  state: 'STATE',
  stime: 'STIME',
  time: 'TIME',
  tty: 'TTY',
  uid: 'UID',
  user: 'USER',
  vsz: 'VSZ',
};

/** AIX format descriptors (ps(1) "%C" style), as psgo accepts them. */
export const aixDescriptors: Record<string, string> = {
  '%C': 'pcpu', '%G': 'group', '%P': 'ppid', '%U': 'user', '%a': 'args', '%c': 'comm', '%g': 'rgroup',
  '%n': 'nice', '%p': 'pid', '%r': 'pgid', '%t': 'etime', '%u': 'ruser', '%x': 'time', '%y': 'tty', '%z': 'vsz',
};

export const defaultDescriptors = ['user', 'pid', 'ppid', 'pcpu', 'etime', 'tty', 'time', 'args'];

/** A descriptor's canonical name (AIX aliases resolved). */
export const canonicalDescriptor = (d: string): string => aixDescriptors[d] ?? d;

export function checkDescriptors(names: readonly string[]): void {
  const bad = names.filter((d) => !(canonicalDescriptor(d) in descriptors));
  if (bad.length) {
    throw invalid(`unknown top descriptor${bad.length > 1 ? 's' : ''} ${bad.map((b) => `"${b}"`).join(', ')}`, `valid descriptors: ${[...Object.keys(descriptors), ...Object.keys(aixDescriptors)].join(', ')}`);
  }
}

interface Proc {
  hpid: number;
  pid: number;
  hppid: number;
  pgid: number;
  state: string;
  nice: number;
  /** real and effective UID/GID on the host. */
  hruid: number;
  heuid: number;
  hrgid: number;
  hegid: number;
  hgroups: number[];
  comm: string;
  args: string;
  ttyNr: number;
  cpuTicks: number;
  startTicks: number;
  vszKb: number;
  rssKb: number;
  caps: Record<'CapInh' | 'CapPrm' | 'CapEff' | 'CapBnd' | 'CapAmb', string>;
  seccomp: number;
}

function readProc(hpid: number): Proc | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${hpid}/stat`, 'utf8');
    const status = fs.readFileSync(`/proc/${hpid}/status`, 'utf8');
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(stat.indexOf('(') + 1, close);
    const f = stat.slice(close + 2).split(' '); // f[0] is field 3 (state)
    const fields = new Map<string, string>();
    for (const line of status.split('\n')) {
      const colon = line.indexOf(':');
      if (colon > 0) fields.set(line.slice(0, colon), line.slice(colon + 1).trim());
    }
    const nums = (name: string) => (fields.get(name) ?? '').split(/\s+/).filter(Boolean).map(Number);
    const nspid = nums('NSpid');
    const uids = nums('Uid');
    const gids = nums('Gid');
    const args = fs.readFileSync(`/proc/${hpid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
    return {
      hpid,
      pid: nspid[nspid.length - 1] ?? hpid,
      hppid: Number(f[1]),
      pgid: Number(f[2]),
      state: f[0] ?? '?',
      nice: Number(f[16]),
      hruid: uids[0] ?? 0,
      heuid: uids[1] ?? uids[0] ?? 0,
      hrgid: gids[0] ?? 0,
      hegid: gids[1] ?? gids[0] ?? 0,
      hgroups: nums('Groups'),
      comm,
      args: args || comm,
      ttyNr: Number(f[4]),
      cpuTicks: Number(f[11]) + Number(f[12]),
      startTicks: Number(f[19]),
      vszKb: Math.floor(Number(f[20]) / 1024),
      rssKb: Number(f[21]) * PAGE_KB,
      caps: {
        CapInh: fields.get('CapInh') ?? '0',
        CapPrm: fields.get('CapPrm') ?? '0',
        CapEff: fields.get('CapEff') ?? '0',
        CapBnd: fields.get('CapBnd') ?? '0',
        CapAmb: fields.get('CapAmb') ?? '0',
      },
      seccomp: Number(fields.get('Seccomp') ?? 0),
    };
  } catch {
    return undefined; // exited meanwhile
  }
}

/** The rows for the given host PIDs; `rootfs` is the container's root for its user and group names. */
export function processTable(hpids: readonly number[], names: readonly string[], rootfs: string): string[][] {
  checkDescriptors(names);
  const wanted = names.map(canonicalDescriptor);
  const procs = hpids.map(readProc).filter((p): p is Proc => p !== undefined);
  const byHost = new Map(procs.map((p) => [p.hpid, p]));
  const needs = (...ds: string[]) => ds.some((d) => wanted.includes(d));
  const ctrUsers = needs('user', 'ruser') ? idNames(path.join(rootfs, 'etc/passwd')) : new Map<number, string>();
  const ctrGroups = needs('group', 'rgroup', 'groups') ? idNames(path.join(rootfs, 'etc/group')) : new Map<number, string>();
  const hostUsers = needs('huser') ? idNames('/etc/passwd') : new Map<number, string>();
  const hostGroups = needs('hgroup', 'hgroups') ? idNames('/etc/group') : new Map<number, string>();
  const uptime = needs('pcpu', 'etime') ? Number(fs.readFileSync('/proc/uptime', 'utf8').split(' ')[0]) : 0;
  const boot = needs('stime') ? bootTime() : 0;
  const selinux = needs('label') && fs.existsSync('/sys/fs/selinux/enforce');
  const lastCap = needs('capamb', 'capbnd', 'capeff', 'capinh', 'capprm') ? lastCapability() : 0;
  const maps = new Map<number, { uid: IdMap; gid: IdMap }>();
  const mapsOf = (p: Proc) => {
    let m = maps.get(p.hpid);
    if (!m) maps.set(p.hpid, (m = { uid: readIdMap(`/proc/${p.hpid}/uid_map`), gid: readIdMap(`/proc/${p.hpid}/gid_map`) }));
    return m;
  };
  const named = (names: Map<number, string>, id: number) => names.get(id) ?? String(id);
  const cell = (p: Proc, d: string): string => {
    const elapsed = Math.max(0, uptime - p.startTicks / CLK_TCK);
    switch (d) {
      case 'user':
        return named(ctrUsers, toContainer(mapsOf(p).uid, p.heuid));
      case 'ruser':
        return named(ctrUsers, toContainer(mapsOf(p).uid, p.hruid));
      case 'huser':
        return named(hostUsers, p.heuid);
      case 'uid':
        return String(toContainer(mapsOf(p).uid, p.heuid));
      case 'huid':
        return String(p.heuid);
      case 'group':
        return named(ctrGroups, toContainer(mapsOf(p).gid, p.hegid));
      case 'rgroup':
        return named(ctrGroups, toContainer(mapsOf(p).gid, p.hrgid));
      case 'hgroup':
        return named(hostGroups, p.hegid);
      case 'groups':
        return p.hgroups.map((g) => named(ctrGroups, toContainer(mapsOf(p).gid, g))).join(',') || 'none';
      case 'hgroups':
        return p.hgroups.map((g) => named(hostGroups, g)).join(',') || 'none';
      case 'pid':
        return String(p.pid);
      case 'hpid':
        return String(p.hpid);
      case 'ppid':
        return String(byHost.get(p.hppid)?.pid ?? 0);
      case 'pgid':
        return String(byHost.get(p.pgid)?.pid ?? p.pgid);
      case 'pcpu':
        return (elapsed > 0 ? (p.cpuTicks / CLK_TCK / elapsed) * 100 : 0).toFixed(3);
      case 'etime':
        return goDuration(elapsed);
      case 'time':
        return goDuration(p.cpuTicks / CLK_TCK);
      case 'stime':
        return goTime(boot + p.startTicks / CLK_TCK);
      case 'tty':
        return ttyName(p.ttyNr);
      case 'comm':
        return p.comm;
      case 'state':
        return p.state;
      case 'nice':
        return String(p.nice);
      case 'vsz':
        return String(p.vszKb);
      case 'rss':
        return String(p.rssKb);
      case 'capamb':
        return capNames(p.caps.CapAmb, lastCap);
      case 'capbnd':
        return capNames(p.caps.CapBnd, lastCap);
      case 'capeff':
        return capNames(p.caps.CapEff, lastCap);
      case 'capinh':
        return capNames(p.caps.CapInh, lastCap);
      case 'capprm':
        return capNames(p.caps.CapPrm, lastCap);
      case 'seccomp':
        return ['disabled', 'strict', 'filter'][p.seccomp] ?? '?';
      case 'label':
        return selinux ? processLabel(p.hpid) : '-';
      default:
        return p.args;
    }
  };
  return procs.sort((a, b) => a.pid - b.pid).map((p) => wanted.map((d) => cell(p, d)));
}

/** "full" when every capability the kernel knows is set, "none" when none is, else the names. */
export function capNames(hexMask: string, lastCap: number): string {
  const mask = BigInt(`0x${hexMask.trim() || '0'}`);
  if (mask === 0n) return 'none';
  const all = (1n << BigInt(lastCap + 1)) - 1n;
  if ((mask & all) === all) return 'full';
  return capabilitiesFromMask(hexMask)
    .map((c) => c.slice(4))
    .sort()
    .join(',');
}

function lastCapability(): number {
  try {
    return Number(fs.readFileSync('/proc/sys/kernel/cap_last_cap', 'utf8').trim());
  } catch {
    return ALL_CAPABILITIES.length - 1;
  }
}

function processLabel(hpid: number): string {
  try {
    return fs.readFileSync(`/proc/${hpid}/attr/current`, 'utf8').replace(/\0/g, '').trim() || '-';
  } catch {
    return '-';
  }
}

/** A uid_map/gid_map: [inside, outside, count] ranges; empty = the initial namespace (identity). */
type IdMap = [number, number, number][];

function readIdMap(file: string): IdMap {
  try {
    return fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .map((l) => l.trim().split(/\s+/).map(Number) as [number, number, number])
      .filter((r) => r.length === 3 && r.every(Number.isFinite));
  } catch {
    return [];
  }
}

/** A host ID as the process's user namespace sees it (65534, the overflow ID, when unmapped). */
export function toContainer(map: IdMap, hostId: number): number {
  if (!map.length) return hostId;
  for (const [inside, outside, count] of map) if (hostId >= outside && hostId < outside + count) return inside + (hostId - outside);
  return 65534;
}

function idNames(file: string): Map<number, string> {
  const m = new Map<number, string>();
  try {
    for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
      const [name, , id] = line.split(':');
      if (name && id && /^\d+$/.test(id) && !m.has(Number(id))) m.set(Number(id), name);
    }
  } catch {
    // no passwd/group file: numeric IDs
  }
  return m;
}

function bootTime(): number {
  const m = /^btime\s+(\d+)/m.exec(fs.readFileSync('/proc/stat', 'utf8'));
  return m ? Number(m[1]) : 0;
}

/** Go's time.Time String() at second precision in UTC: "2026-11-29 10:09:52 +0000 UTC". */
function goTime(unixSeconds: number): string {
  return `${new Date(Math.floor(unixSeconds) * 1000).toISOString().slice(0, 19).replace('T', ' ')} +0000 UTC`;
}

function ttyName(nr: number): string {
  const major = (nr >> 8) & 0xfff;
  const minor = (nr & 0xff) | ((nr >> 12) & 0xfff00);
  if (major >= 136 && major <= 143) return `pts/${minor + (major - 136) * 256}`;
  if (major === 4) return minor < 64 ? `tty${minor}` : `ttyS${minor - 64}`;
  return '?';
}

/** Go's time.Duration String() for a number of seconds: "0s", "250ms", "1m2.5s", "3h0m1s". */
export function goDuration(seconds: number): string {
  if (seconds <= 0) return '0s';
  if (seconds < 1) return `${trim((seconds * 1000).toFixed(3))}ms`;
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = trim((seconds % 60).toFixed(9));
  if (h) return `${h}h${m}m${s}s`;
  if (m) return `${m}m${s}s`;
  return `${s}s`;
}

const trim = (n: string) => (n.includes('.') ? n.replace(/0+$/, '').replace(/\.$/, '') : n);
