/**
 * `top` columns from /proc, with Podman's (psgo's) AIX-style descriptors. Container view (user, pid,
 * ppid, uid) and host view (huser, hpid, huid) differ only with namespaces: the container's PID is
 * the last NSpid entry, its UID the one its /etc/passwd names. Durations print as Go does ("1m2.5s").
 */
import fs from 'node:fs';
import path from 'node:path';
import { invalid } from '../errors.js';

const CLK_TCK = 100;

export const descriptors: Record<string, string> = {
  args: 'COMMAND',
  comm: 'COMMAND',
  etime: 'ELAPSED',
  huid: 'HUID',
  hpid: 'HPID',
  huser: 'HUSER',
  pcpu: '%CPU',
  pid: 'PID',
  ppid: 'PPID',
  time: 'TIME',
  tty: 'TTY',
  uid: 'UID',
  user: 'USER',
};

export const defaultDescriptors = ['user', 'pid', 'ppid', 'pcpu', 'etime', 'tty', 'time', 'args'];

export function checkDescriptors(names: readonly string[]): void {
  const bad = names.filter((d) => !(d in descriptors));
  if (bad.length) throw invalid(`unknown top descriptor${bad.length > 1 ? 's' : ''} ${bad.map((b) => `"${b}"`).join(', ')}`, `valid descriptors: ${Object.keys(descriptors).join(', ')}`);
}

interface Proc {
  hpid: number;
  pid: number;
  hppid: number;
  huid: number;
  uid: number;
  comm: string;
  args: string;
  ttyNr: number;
  cpuTicks: number;
  startTicks: number;
}

function readProc(hpid: number): Proc | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${hpid}/stat`, 'utf8');
    const status = fs.readFileSync(`/proc/${hpid}/status`, 'utf8');
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(stat.indexOf('(') + 1, close);
    const f = stat.slice(close + 2).split(' '); // f[0] is field 3 (state)
    const field = (name: string) => status.match(new RegExp(`^${name}:\\s*(.*)$`, 'm'))?.[1]?.trim().split(/\s+/) ?? [];
    const nspid = field('NSpid');
    const uids = field('Uid');
    const args = fs.readFileSync(`/proc/${hpid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
    return {
      hpid,
      pid: Number(nspid[nspid.length - 1] ?? hpid),
      hppid: Number(f[1]),
      huid: Number(uids[0] ?? 0),
      uid: Number(uids[0] ?? 0),
      comm,
      args: args || comm,
      ttyNr: Number(f[4]),
      cpuTicks: Number(f[11]) + Number(f[12]),
      startTicks: Number(f[19]),
    };
  } catch {
    return undefined; // exited meanwhile
  }
}

/** The rows for the given host PIDs; `rootfs` is the container's root for its user names. */
export function processTable(hpids: readonly number[], names: readonly string[], rootfs: string): string[][] {
  checkDescriptors(names);
  const procs = hpids.map(readProc).filter((p): p is Proc => p !== undefined);
  const byHost = new Map(procs.map((p) => [p.hpid, p]));
  const ctrUsers = userNames(path.join(rootfs, 'etc/passwd'));
  const hostUsers = userNames('/etc/passwd');
  const uptime = Number(fs.readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
  const cell = (p: Proc, d: string): string => {
    const elapsed = Math.max(0, uptime - p.startTicks / CLK_TCK);
    switch (d) {
      case 'user':
        return ctrUsers.get(p.uid) ?? String(p.uid);
      case 'huser':
        return hostUsers.get(p.huid) ?? String(p.huid);
      case 'uid':
        return String(p.uid);
      case 'huid':
        return String(p.huid);
      case 'pid':
        return String(p.pid);
      case 'hpid':
        return String(p.hpid);
      case 'ppid':
        return String(byHost.get(p.hppid)?.pid ?? 0);
      case 'pcpu':
        return (elapsed > 0 ? (p.cpuTicks / CLK_TCK / elapsed) * 100 : 0).toFixed(3);
      case 'etime':
        return goDuration(elapsed);
      case 'time':
        return goDuration(p.cpuTicks / CLK_TCK);
      case 'tty':
        return ttyName(p.ttyNr);
      case 'comm':
        return p.comm;
      default:
        return p.args;
    }
  };
  return procs.sort((a, b) => a.pid - b.pid).map((p) => names.map((d) => cell(p, d)));
}

function userNames(file: string): Map<number, string> {
  const m = new Map<number, string>();
  try {
    for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
      const [name, , uid] = line.split(':');
      if (name && uid && /^\d+$/.test(uid) && !m.has(Number(uid))) m.set(Number(uid), name);
    }
  } catch {
    // no passwd file: numeric IDs
  }
  return m;
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
