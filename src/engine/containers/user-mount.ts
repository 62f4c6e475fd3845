/**
 * `selkie mount` keeps a container's root filesystem mounted until `selkie umount`: a marker in the
 * container's run directory tells the release of a run (conmon's exit command, which may come a
 * moment after the container exited) to leave that mount alone, as Podman's mount counter does.
 */
import fs from 'node:fs';
import path from 'node:path';

const MARKER = 'user-mounted';

export function markUserMount(runDir: string): void {
  fs.mkdirSync(runDir, { recursive: true, mode: 0o700 });
  fs.writeFileSync(path.join(runDir, MARKER), '');
}

export function clearUserMount(runDir: string): void {
  fs.rmSync(path.join(runDir, MARKER), { force: true });
}

export function hasUserMount(runDir: string): boolean {
  return fs.existsSync(path.join(runDir, MARKER));
}
