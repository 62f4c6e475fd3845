/**
 * A pod's state from its containers' states, as Podman derives it: Running when all run, Degraded
 * when only some do, Paused when all are paused, Exited when all have stopped, Stopped when some
 * have and the rest were never started, Created when none has run (or there are none).
 */
import type { ContainerStatus } from '../types/container.js';
import type { PodStatus } from '../types/pod.js';

export function podStatus(states: readonly ContainerStatus[]): PodStatus {
  const n = states.length;
  if (n === 0) return 'Created';
  const count = (...s: ContainerStatus[]) => states.filter((x) => s.includes(x)).length;
  const running = count('running');
  const paused = count('paused');
  const stopped = count('exited', 'stopped');
  const dead = count('dead');
  if (running === n) return 'Running';
  if (paused === n) return 'Paused';
  if (running > 0 || paused > 0) return 'Degraded';
  if (dead > 0) return 'Error';
  if (stopped === n) return 'Exited';
  if (stopped > 0) return 'Stopped';
  return 'Created';
}
