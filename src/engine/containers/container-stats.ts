/**
 * Resource usage of running containers from their cgroups (v1 controllers or the v2 tree; hybrid
 * hosts use v1 here) and network counters from /proc/PID/net/dev. CPU % is measured over a short
 * interval between two samples, as `docker stats --no-stream` does.
 */
import fs from 'node:fs';
import { cgroupLayout } from '../system/cgroups.js';
import type { ContainerRecord } from './container-record.js';

export interface ContainerStats {
  ID: string;
  Name: string;
  CPUPerc: number;
  MemUsage: number;
  MemLimit: number;
  MemPerc: number;
  NetInput: number;
  NetOutput: number;
  BlockInput: number;
  BlockOutput: number;
  PIDs: number;
}

interface Sample {
  cpuNs: number;
  at: bigint;
}

const readNum = (p: string): number | undefined => {
  try {
    const t = fs.readFileSync(p, 'utf8').trim();
    return t === 'max' ? undefined : Number(t);
  } catch {
    return undefined;
  }
};
const readText = (p: string): string => {
  try {
    return fs.readFileSync(p, 'utf8');
  } catch {
    return '';
  }
};

function cgroupPath(c: ContainerRecord): string {
  return `/selkie/${c.id}`;
}

function cpuNs(c: ContainerRecord, v2: boolean): number {
  if (v2) {
    const m = /^usage_usec (\d+)$/m.exec(readText(`/sys/fs/cgroup${cgroupPath(c)}/cpu.stat`));
    return m ? Number(m[1]) * 1000 : 0;
  }
  return readNum(`/sys/fs/cgroup/cpuacct${cgroupPath(c)}/cpuacct.usage`) ?? 0;
}

function memory(c: ContainerRecord, v2: boolean): { usage: number; limit: number } {
  const host = readTotalMemory();
  if (v2) {
    const usage = readNum(`/sys/fs/cgroup${cgroupPath(c)}/memory.current`) ?? 0;
    return { usage, limit: Math.min(readNum(`/sys/fs/cgroup${cgroupPath(c)}/memory.max`) ?? host, host) };
  }
  const dir = `/sys/fs/cgroup/memory${cgroupPath(c)}`;
  const usage = readNum(`${dir}/memory.usage_in_bytes`) ?? 0;
  // Docker subtracts the page cache that can be dropped (total_inactive_file).
  const inactive = Number(/^total_inactive_file (\d+)$/m.exec(readText(`${dir}/memory.stat`))?.[1] ?? 0);
  return { usage: Math.max(0, usage - inactive), limit: Math.min(readNum(`${dir}/memory.limit_in_bytes`) ?? host, host) };
}

function pids(c: ContainerRecord, v2: boolean): number {
  return readNum(v2 ? `/sys/fs/cgroup${cgroupPath(c)}/pids.current` : `/sys/fs/cgroup/pids${cgroupPath(c)}/pids.current`) ?? 0;
}

function blockIo(c: ContainerRecord, v2: boolean): { read: number; write: number } {
  let read = 0;
  let write = 0;
  if (v2) {
    for (const m of readText(`/sys/fs/cgroup${cgroupPath(c)}/io.stat`).matchAll(/rbytes=(\d+) wbytes=(\d+)/g)) {
      read += Number(m[1]);
      write += Number(m[2]);
    }
  } else {
    for (const line of readText(`/sys/fs/cgroup/blkio${cgroupPath(c)}/blkio.throttle.io_service_bytes_recursive`).split('\n')) {
      const [, op, n] = line.split(' ');
      if (op === 'Read') read += Number(n);
      if (op === 'Write') write += Number(n);
    }
  }
  return { read, write };
}

function network(pid: number): { rx: number; tx: number } {
  let rx = 0;
  let tx = 0;
  for (const line of readText(`/proc/${pid}/net/dev`).split('\n').slice(2)) {
    const [iface, rest] = line.split(':');
    if (!rest || iface!.trim() === 'lo') continue;
    const f = rest.trim().split(/\s+/).map(Number);
    rx += f[0] ?? 0;
    tx += f[8] ?? 0;
  }
  return { rx, tx };
}

function readTotalMemory(): number {
  const m = /^MemTotal:\s+(\d+) kB$/m.exec(readText('/proc/meminfo'));
  return m ? Number(m[1]) * 1024 : 0;
}

/** Usage of each (running) container, CPU measured over `intervalMs`. */
export async function containerStats(containers: ContainerRecord[], intervalMs = 500): Promise<ContainerStats[]> {
  const v2 = cgroupLayout() === 'v2';
  const first = new Map<string, Sample>(containers.map((c) => [c.id, { cpuNs: cpuNs(c, v2), at: process.hrtime.bigint() }]));
  if (containers.length) await new Promise((r) => setTimeout(r, intervalMs));
  return containers.map((c) => {
    const a = first.get(c.id)!;
    const b = { cpuNs: cpuNs(c, v2), at: process.hrtime.bigint() };
    const elapsed = Number(b.at - a.at);
    const mem = memory(c, v2);
    const net = network(c.pid);
    const blk = blockIo(c, v2);
    return {
      ID: c.id,
      Name: c.name,
      CPUPerc: elapsed > 0 ? ((b.cpuNs - a.cpuNs) / elapsed) * 100 : 0,
      MemUsage: mem.usage,
      MemLimit: mem.limit,
      MemPerc: mem.limit > 0 ? (mem.usage / mem.limit) * 100 : 0,
      NetInput: net.rx,
      NetOutput: net.tx,
      BlockInput: blk.read,
      BlockOutput: blk.write,
      PIDs: pids(c, v2),
    };
  });
}
