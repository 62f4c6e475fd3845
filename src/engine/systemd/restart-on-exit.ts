/**
 * What conmon's exit command does for a container with a restart policy: once its run is released,
 * start it again when the policy says so (after a short back-off), counting the restart. Runs in
 * the `selkie container cleanup` process conmon starts, so no CLI or daemon needs to be around.
 */
import type { ContainerRunner } from '../containers/container-runner.js';
import { containerPaths } from '../containers/container-paths.js';
import type { Resources } from '../local/resources.js';
import { readRestartCount, restartDelayMs, shouldRestart, stoppedByUser, writeRestartCount } from './restart-policy.js';

export async function restartAfterExit(res: Resources, runner: ContainerRunner, id: string): Promise<boolean> {
  const store = await res.containers();
  const p = containerPaths(res.paths.graphRoot, res.paths.runRoot, id);
  const c = store.get(id);
  if (!c || c.state !== 'exited' || c.config.autoRemove) return false;
  const count = readRestartCount(p.userdata);
  if (!shouldRestart(c.config.restartPolicy, c.exitCode, count, stoppedByUser(p.runDir))) return false;
  await new Promise((r) => setTimeout(r, restartDelayMs(count)));
  // Meanwhile the user may have started, stopped or removed it: then it is theirs.
  const now = store.get(id);
  if (!now || now.state !== 'exited' || stoppedByUser(p.runDir)) return false;
  writeRestartCount(p.userdata, count + 1);
  await runner.start(now, undefined, true);
  // A stop that came while this start was under way found no running container to stop: do it now.
  const started = store.get(id);
  if (started && stoppedByUser(p.runDir) && (started.state === 'running' || started.state === 'paused')) {
    await runner.stop(started, started.config.stopTimeout);
    return false;
  }
  res.events().write({ type: 'container', status: 'restart', id, name: now.name, image: now.config.imageName, attributes: now.config.labels });
  return true;
}
