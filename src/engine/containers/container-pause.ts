/**
 * Pausing a container: the OCI runtime freezes its cgroup (`runtime pause`) and the record moves
 * running → paused; unpause thaws it and moves it back. A paused container is thawed before it is
 * stopped or killed, since a frozen process cannot act on a signal.
 */
import { conflict } from '../errors.js';
import type { Resources } from '../local/resources.js';
import type { ContainerRecord } from './container-record.js';

export async function pauseContainer(res: Resources, c: ContainerRecord): Promise<void> {
  if (c.state === 'paused') throw conflict(`container ${c.name} is already paused`, `unpause it with selkie unpause ${c.name}`);
  if (c.state !== 'running') throw conflict(`container ${c.name} is not running, so it cannot be paused`, `start it with selkie start ${c.name}`);
  await res.runtimeFor(c.config.runtimePath).pause(c.id);
  (await res.containers()).transition(c.id, ['running'], 'paused');
}

export async function unpauseContainer(res: Resources, c: ContainerRecord): Promise<void> {
  if (c.state !== 'paused') throw conflict(`container ${c.name} is not paused (it is ${c.state})`, `pause it first with selkie pause ${c.name}`);
  await res.runtimeFor(c.config.runtimePath).resume(c.id);
  (await res.containers()).transition(c.id, ['paused'], 'running');
}

/** Thaw a paused container (before a stop, kill or forced removal); returns the record as it is now. */
export async function thawIfPaused(res: Resources, c: ContainerRecord): Promise<ContainerRecord> {
  if (c.state !== 'paused') return c;
  await res.runtimeFor(c.config.runtimePath).resume(c.id).catch(() => {});
  const store = await res.containers();
  store.transition(c.id, ['paused'], 'running');
  return store.get(c.id) ?? { ...c, state: 'running' };
}
