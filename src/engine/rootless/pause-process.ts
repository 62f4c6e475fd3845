/**
 * The rootless pause process (native/conmon/selkie-userns.c makes it): it holds the user's user
 * and mount namespaces, its pid and start time in RUNDIR/pause.pid. Here: reading that file,
 * checking the process is still that pause process (not a dead pid or a reused one), and stopping it
 * (`system migrate`, `system reset`), so the next command creates the namespace again.
 */
import fs from 'node:fs';
import path from 'node:path';

export const PAUSE_COMM = 'selkie-pause';

export interface PauseProcess {
  pid: number;
  startTime: string;
}

export function pauseRunDir(env: NodeJS.ProcessEnv, uid: number): string {
  return env.XDG_RUNTIME_DIR ? path.join(env.XDG_RUNTIME_DIR, 'selkie') : `/tmp/selkie-${uid}`;
}

export const pausePidFile = (runDir: string) => path.join(runDir, 'pause.pid');

/** Field 22 of /proc/PID/stat, or undefined when there is no such process (or only its zombie, killed and not yet reaped). */
export function processStartTime(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[0] === 'Z' || fields[0] === 'X') return undefined;
    return fields[19];
  } catch {
    return undefined;
  }
}

/** The pid file's process when it is still the pause process it names; undefined otherwise (stale or absent). */
export function livePauseProcess(runDir: string): PauseProcess | undefined {
  let text: string;
  try {
    text = fs.readFileSync(pausePidFile(runDir), 'utf8');
  } catch {
    return undefined;
  }
  const [pidText, startTime] = text.trim().split(/\s+/);
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 0 || !startTime || processStartTime(pid) !== startTime) return undefined;
  try {
    if (fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== PAUSE_COMM) return undefined;
  } catch {
    return undefined;
  }
  return { pid, startTime };
}

/** Stop the pause process (if it is alive) and remove its pid file. Returns whether one was stopped. */
export async function stopPauseProcess(runDir: string): Promise<boolean> {
  const p = livePauseProcess(runDir);
  if (p) {
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
    for (let i = 0; i < 100 && processStartTime(p.pid) === p.startTime; i++) await new Promise((r) => setTimeout(r, 10));
  }
  fs.rmSync(pausePidFile(runDir), { force: true });
  return Boolean(p);
}

/** The ID mappings of this process's user namespace (/proc/self/uid_map), as podman's info shows them. */
export function idMappings(): { UIDMap: IdMap[]; GIDMap: IdMap[] } {
  return { UIDMap: readMap('/proc/self/uid_map'), GIDMap: readMap('/proc/self/gid_map') };
}

export interface IdMap {
  container_id: number;
  host_id: number;
  size: number;
}

function readMap(file: string): IdMap[] {
  try {
    return fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .map((l) => l.trim().split(/\s+/).map(Number))
      .filter((n) => n.length === 3 && n.every(Number.isFinite))
      .map(([c, h, s]) => ({ container_id: c!, host_id: h!, size: s! }));
  } catch {
    return [];
  }
}
