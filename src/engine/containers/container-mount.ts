/**
 * `mount` / `umount` / `export`: the container's root filesystem on the host. mount asks the
 * storage driver to mount it (overlay: the merged dir) and returns the path; umount releases it
 * unless the container runs; export packs it as a tar, mounting it only for as long as it takes.
 */
import type { Readable } from 'node:stream';
import { conflict } from '../errors.js';
import type { Resources } from '../local/resources.js';
import type { ContainerRecord } from './container-record.js';
import { packTree } from './rootfs-tar.js';
import { containerPaths } from './container-paths.js';
import { clearUserMount, markUserMount } from './user-mount.js';
import { waitForRelease } from './run-claim.js';
import { holdRootfs } from './mount-hold.js';

const active = (c: ContainerRecord) => c.state === 'running' || c.state === 'paused';

export async function mountContainer(res: Resources, c: ContainerRecord): Promise<string> {
  if (c.state === 'removing') throw conflict(`container ${c.name} is being removed, so it cannot be mounted`);
  // Marked first: a run's release that starts later leaves the mount alone; one already under way
  // (conmon's exit command, just after the container exited) is waited for, then we mount.
  markUserMount(runDirOf(res, c));
  await waitForRelease(runDirOf(res, c));
  return (await res.storage()).mount(c.id);
}

export async function unmountContainer(res: Resources, c: ContainerRecord): Promise<void> {
  if (active(c)) throw conflict(`container ${c.name} is running: its root filesystem stays mounted while it runs`, `stop it first with selkie stop ${c.name}`);
  clearUserMount(runDirOf(res, c));
  await (await res.storage()).unmount(c.id);
}

const runDirOf = (res: Resources, c: ContainerRecord) => containerPaths(res.paths.graphRoot, res.paths.runRoot, c.id).runDir;

/**
 * The root filesystem as a tar, mounted under a hold (mount-hold.ts) until the tar has been read:
 * the release of a run that ends meanwhile (conmon's exit command, just after `run` returned) waits
 * or leaves the mount alone, so it cannot be unmounted under the tar.
 */
export async function exportContainer(res: Resources, c: ContainerRecord): Promise<Readable> {
  if (c.state === 'removing') throw conflict(`container ${c.name} is being removed, so it cannot be exported`);
  const { rootfs, release } = await holdRootfs(res, c);
  try {
    return packTree(rootfs, release);
  } catch (e) {
    await release();
    throw e;
  }
}
