/**
 * Holds on a container's root filesystem mount, Podman's mount counter in files: a process that
 * reads or writes a container's files outside a run (cp, export, commit) holds the mount for as
 * long as it takes, so the release of a run that ends meanwhile — conmon's exit command, a moment
 * after the container exited — leaves it mounted. The protocol, with the release's own order
 * (claim, then look for holds, then unmount; run-claim.ts):
 *   hold = a file RUNDIR/mount-holds/PID-RANDOM, then wait for a release already claimed, then mount;
 *   a release claimed before the hold existed is waited for, one claimed after it sees the hold.
 * Done, the holder drops its file and unmounts only when nothing else needs the mount: the
 * container is not running, no other live hold or `selkie mount` (user-mount.ts) is there, and no
 * new run began meanwhile. Holds of dead processes do not count (and are removed when seen).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Resources } from '../local/resources.js';
import { randomId } from '../util/ids.js';
import type { ContainerRecord } from './container-record.js';
import { containerPaths } from './container-paths.js';
import { currentRun, waitForRelease } from './run-claim.js';
import { hasUserMount } from './user-mount.js';
import { processAlive } from '../util/process-alive.js';

const holdsDir = (runDir: string) => path.join(runDir, 'mount-holds');
const active = (c: ContainerRecord) => c.state === 'running' || c.state === 'paused';

function addHold(runDir: string): string {
  fs.mkdirSync(holdsDir(runDir), { recursive: true, mode: 0o700 });
  const file = path.join(holdsDir(runDir), `${process.pid}-${randomId().slice(0, 8)}`);
  fs.writeFileSync(file, '');
  return file;
}

/** Whether the mount must stay: a `selkie mount`, or a live hold (other than `except`). */
export function mountHeld(runDir: string, except?: string): boolean {
  if (hasUserMount(runDir)) return true;
  let names: string[];
  try {
    names = fs.readdirSync(holdsDir(runDir));
  } catch {
    return false; // no holds (the usual case)
  }
  let held = false;
  for (const n of names) {
    const file = path.join(holdsDir(runDir), n);
    if (file === except) continue;
    if (processAlive(Number(n.split('-')[0]))) held = true;
    else fs.rmSync(file, { force: true });
  }
  return held;
}

export interface HeldRootfs {
  rootfs: string;
  /** Drop the hold; unmount unless something else needs the mount. Idempotent. */
  release(): Promise<void>;
}

/** Mount the container's root filesystem under a hold (see above). */
export async function holdRootfs(res: Resources, c: ContainerRecord): Promise<HeldRootfs> {
  const runDir = containerPaths(res.paths.graphRoot, res.paths.runRoot, c.id).runDir;
  const storage = await res.storage();
  const hold = addHold(runDir);
  let rootfs: string;
  let run: string | undefined;
  try {
    await waitForRelease(runDir);
    run = currentRun(runDir);
    rootfs = await storage.mount(c.id);
  } catch (e) {
    fs.rmSync(hold, { force: true });
    throw e;
  }
  let released = false;
  return {
    rootfs,
    async release() {
      if (released) return;
      released = true;
      const keep = mountHeld(runDir, hold);
      fs.rmSync(hold, { force: true });
      if (keep || currentRun(runDir) !== run) return;
      const now = (await res.containers()).get(c.id);
      if (now && !active(now)) await storage.unmount(c.id).catch(() => {});
    },
  };
}

