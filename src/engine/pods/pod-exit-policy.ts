/**
 * A pod's exit policy (`pod create --exit-policy`), as Podman has it: with `stop`, the pod's infra
 * container is stopped once the last of its other containers has exited (or was removed), so the
 * pod as a whole ends — what a systemd unit generated with `generate systemd --new` relies on: its
 * main process is the infra's conmon. `continue` (the default) keeps the infra running.
 * Decided by conmon's exit command of each member (`container cleanup --run`), so no CLI or daemon
 * needs to be around.
 */
import type { ContainerRecord } from '../containers/container-record.js';
import type { Resources } from '../local/resources.js';

const active = (c: ContainerRecord) => c.state === 'running' || c.state === 'paused';

/**
 * After member `c` exited: stop the infra of its pod when the pod's policy is `stop` and no other
 * member is running. `synced` brings a record up to date, `stop` stops a container by ID.
 */
export async function applyPodExitPolicy(
  res: Resources,
  c: Pick<ContainerRecord, 'id' | 'config'>,
  synced: (c: ContainerRecord) => ContainerRecord,
  stop: (id: string) => Promise<void>,
): Promise<boolean> {
  const membership = c.config.pod;
  if (!membership || membership.infra) return false;
  const pods = await res.pods();
  const pod = pods.find(membership.id);
  if (!pod || pod.config.exitPolicy !== 'stop' || !pod.infraId) return false;
  const store = await res.containers();
  const others = pods.members(pod.id).filter((id) => id !== pod.infraId);
  if (others.some((id) => {
    const m = store.get(id);
    return m !== undefined && active(synced(m));
  })) return false;
  const infra = store.get(pod.infraId);
  if (!infra || !active(synced(infra))) return false;
  await stop(infra.id);
  return true;
}
