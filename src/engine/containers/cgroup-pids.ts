/**
 * A container's processes read from its cgroup, as `runc ps` does, without starting the runtime
 * (~35 ms of `top`). Only for a container with a cgroup of its own (its path names the container);
 * a rootless container sharing its user's cgroup gets undefined, and the caller asks the runtime.
 */
import fs from 'node:fs';
import path from 'node:path';

const CGROUP_ROOT = '/sys/fs/cgroup';

/** The directory of `initPid`'s cgroup in a hierarchy that lists processes: v1 pids or memory, else v2. */
function cgroupDir(initPid: number, containerId: string): string | undefined {
  let lines: string[];
  try {
    lines = fs.readFileSync(`/proc/${initPid}/cgroup`, 'utf8').split('\n');
  } catch {
    return undefined;
  }
  const candidates: string[] = [];
  for (const line of lines) {
    const m = /^\d+:([^:]*):(\/.*)$/.exec(line);
    if (!m || !m[2]!.includes(containerId)) continue;
    const controllers = m[1]!.split(',');
    if (m[1] === '') candidates.push(path.join(CGROUP_ROOT, 'unified', m[2]!), path.join(CGROUP_ROOT, m[2]!));
    else if (controllers.includes('pids') || controllers.includes('memory')) candidates.unshift(path.join(CGROUP_ROOT, m[1]!, m[2]!));
  }
  return candidates.find((d) => fs.existsSync(path.join(d, 'cgroup.procs')));
}

/** Every process in `dir` and the cgroups below it. */
function procsBelow(dir: string, into: Set<number>): void {
  for (const line of fs.readFileSync(path.join(dir, 'cgroup.procs'), 'utf8').split('\n')) if (line) into.add(Number(line));
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) procsBelow(path.join(dir, e.name), into);
}

/** The PIDs (host view) of the container's processes, or undefined when its cgroup cannot tell. */
export function cgroupPids(initPid: number, containerId: string): number[] | undefined {
  if (!initPid) return undefined;
  const dir = cgroupDir(initPid, containerId);
  if (!dir) return undefined;
  try {
    const pids = new Set<number>();
    procsBelow(dir, pids);
    return [...pids].sort((a, b) => a - b);
  } catch {
    return undefined; // it went away meanwhile: let the runtime answer
  }
}
