/**
 * `cp` on the engine side (Docker's container archive API): stat a path, a tar of a path, and a
 * tar extracted into a directory, on a running container (through its mounted root) or a stopped
 * one (mounted for as long as it takes). Every container path is resolved inside the container's
 * root (symlinks too, util/root-path.ts), and a path under a volume or bind mount is the mount's
 * source, as the container sees it.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { SelkieError, conflict } from '../errors.js';
import type { Resources } from '../local/resources.js';
import type { ContainerPathStat, CopyFromOptions, CopyToOptions } from '../types/container-ops.js';
import { resolveContainerPath, resolveInRoot } from '../util/root-path.js';
import { extractArchive, packPath, type OwnerMap } from './copy-archive.js';
import { toContainer, toHost } from './id-mappings.js';
import type { ContainerRecord } from './container-record.js';
import { containerPaths } from './container-paths.js';
import type { ContainerMount } from './mount-flags.js';
import { holdRootfs } from './mount-hold.js';

/**
 * The container's root filesystem, mounted for `fn` under a hold (mount-hold.ts: a run's release
 * that comes meanwhile leaves it mounted) and unmounted after unless something else needs it.
 */
export async function withRootfs<T>(res: Resources, c: ContainerRecord, fn: (rootfs: string, release: () => Promise<void>) => Promise<T>, keep = false): Promise<T> {
  if (c.state === 'removing') throw conflict(`container ${c.name} is being removed`);
  const { rootfs, release } = await holdRootfs(res, c);
  try {
    return await fn(rootfs, release);
  } finally {
    if (!keep) await release();
  }
}

/**
 * What is mounted over the container's root: its volumes and binds, and the engine's /etc/hosts,
 * /etc/hostname and /etc/resolv.conf (files in the container's userdata once it has run).
 */
function mountsOf(res: Resources, c: ContainerRecord): ContainerMount[] {
  const userdata = containerPaths(res.paths.graphRoot, res.paths.runRoot, c.id).userdata;
  const etc = (['hosts', 'hostname', 'resolv.conf'] as const)
    .map((f) => ({ type: 'bind' as const, source: path.join(userdata, f), destination: `/etc/${f}`, options: [] }))
    .filter((m) => fs.existsSync(m.source));
  return [...(c.config.mounts ?? []), ...etc];
}

/** The host path of a container path: inside the root, or inside the volume or bind mounted there. */
export function hostPath(mounts: readonly ContainerMount[], rootfs: string, p: string, followLast: boolean): string {
  const cpath = resolveContainerPath(rootfs, p, followLast);
  const mount = mounts
    .filter((m) => (m.type === 'volume' || m.type === 'bind') && m.source && (cpath === m.destination || cpath.startsWith(`${m.destination}/`)))
    .sort((a, b) => b.destination.length - a.destination.length)[0];
  if (!mount) return cpath === '/' ? rootfs : path.join(rootfs, cpath);
  return resolveInRoot(mount.source, cpath.slice(mount.destination.length), followLast);
}

function statOf(c: ContainerRecord, host: string, p: string, follow: boolean): ContainerPathStat {
  let st: fs.Stats;
  try {
    st = follow ? fs.statSync(host) : fs.lstatSync(host);
  } catch {
    throw new SelkieError('not-found', `could not find the file ${p} in container ${c.name}`, { hint: 'check the path with selkie exec or selkie diff' });
  }
  return {
    name: path.posix.basename(path.posix.normalize(p)) || '/',
    size: st.size,
    kind: st.isDirectory() ? 'dir' : st.isSymbolicLink() ? 'symlink' : st.isFile() ? 'file' : 'other',
    mode: st.mode & 0o7777,
    mtime: st.mtime.toISOString(),
    linkTarget: st.isSymbolicLink() ? fs.readlinkSync(host) : '',
  };
}

export async function statContainerPath(res: Resources, c: ContainerRecord, p: string, opts: CopyFromOptions = {}): Promise<ContainerPathStat> {
  return withRootfs(res, c, async (rootfs) => statOf(c, hostPath(mountsOf(res, c), rootfs, p, Boolean(opts.followLink)), p, false));
}

export async function copyFromContainer(res: Resources, c: ContainerRecord, p: string, opts: CopyFromOptions = {}): Promise<{ stat: ContainerPathStat; tar: Readable }> {
  return withRootfs(
    res,
    c,
    async (rootfs, release) => {
      try {
        const host = hostPath(mountsOf(res, c), rootfs, p, Boolean(opts.followLink));
        const stat = statOf(c, host, p, false);
        const name = stat.name === '/' ? '.' : stat.name;
        return { stat, tar: packPath(host, name, release, ownerMap(c, 'to-container')) };
      } catch (e) {
        await release();
        throw e;
      }
    },
    true,
  );
}

export async function copyToContainer(res: Resources, c: ContainerRecord, p: string, source: Readable, opts: CopyToOptions = {}): Promise<void> {
  await withRootfs(res, c, async (rootfs) => {
    const mounts = mountsOf(res, c);
    const dir = hostPath(mounts, rootfs, p, true);
    const st = fs.statSync(dir, { throwIfNoEntry: false });
    if (!st) throw new SelkieError('not-found', `could not find the directory ${p} in container ${c.name}`, { hint: 'create it first, or copy to an existing directory' });
    if (!st.isDirectory()) throw new SelkieError('invalid', `${p} in container ${c.name} is not a directory`, { hint: 'extract a tar stream into a directory' });
    const base = resolveContainerPath(rootfs, p, true);
    if (c.config.readOnly && !(c.config.mounts ?? []).some((m) => base === m.destination || base.startsWith(`${m.destination}/`))) {
      throw conflict(`container ${c.name} has a read-only root filesystem`, 'copy into a volume or bind mount of it instead');
    }
    await extractArchive(source, {
      resolve: (rel) => hostPath(mounts, rootfs, rel === '' ? base : `${base}/${rel}`, false),
      owner: opts.preserveOwnership ? undefined : { uid: 0, gid: 0 },
      mapOwner: ownerMap(c, 'to-host'),
    });
  });
}

/** For a container with a user namespace: its IDs ↔ the host's (unmapped IDs become the overflow ID 65534). */
function ownerMap(c: ContainerRecord, direction: 'to-host' | 'to-container'): OwnerMap | undefined {
  const maps = c.config.idMappings;
  if (!maps) return undefined;
  const f = direction === 'to-host' ? toHost : toContainer;
  return (uid, gid) => [f(maps.uidMap, uid) ?? 65534, f(maps.gidMap, gid) ?? 65534];
}
