/**
 * The run root is volatile (tmpfs): after a reboot it is empty while the database still says some
 * containers run. The first command after that marks them exited, with the exit code conmon
 * persisted if it had one, as Podman does. A marker file in the run root says the refresh is done.
 */
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../util/atomic-file.js';
import type { ContainerStore } from './container-store.js';
import { containerPaths } from './container-paths.js';

export function refreshAfterReboot(store: ContainerStore, graphRoot: string, runRoot: string, releaseNetworks?: () => void): number {
  const marker = path.join(runRoot, 'alive');
  if (fs.existsSync(marker)) return 0;
  // Network namespaces, veths and nft elements lived in the run root and the kernel: all gone now.
  releaseNetworks?.();
  let n = 0;
  for (const c of store.list()) {
    if (c.state !== 'running' && c.state !== 'paused') continue;
    const persisted = path.join(containerPaths(graphRoot, runRoot, c.id).persistDir, 'exit');
    let code = -1;
    try {
      code = Number.parseInt(fs.readFileSync(persisted, 'utf8'), 10);
    } catch {
      // the machine went down before conmon could record an exit code
    }
    store.transition(c.id, ['running', 'paused'], 'exited', {
      exitCode: Number.isNaN(code) ? -1 : code,
      finishedAt: Date.now(),
      pid: 0,
      conmonPid: 0,
      error: code === -1 ? 'the run directory was reset (reboot?) while the container ran' : '',
    });
    n++;
  }
  writeFileAtomic(marker, `${new Date().toISOString()}\n`);
  return n;
}
