/**
 * Volumes in a container's life: at create, the mounts from -v/--mount/--volumes-from and the
 * image's VOLUME entries are completed (named volumes created on first use, anonymous ones made
 * with random names, duplicate destinations refused); at start, each volume becomes an OCI mount
 * (its _data directory, or the local driver's type/device/o mount) after the first-use copy-up of
 * the image's content at the mount point, then the `U` option's chown to the container's user; at
 * removal, anonymous volumes go with the container.
 */
import fs from 'node:fs';
import path from 'node:path';
import { isSelkieError, usageError } from '../errors.js';
import type { ContainerMount } from '../containers/mount-flags.js';
import { parseMountFlag, parseTmpfsFlag, parseVolumeFlag } from '../containers/mount-flags.js';
import type { ContainerRecord } from '../containers/container-record.js';
import type { SpecMount } from '../runtime/oci-spec.js';
import { runToolOk } from '../storage/host-tools.js';
import { resolveInRoot } from '../util/root-path.js';
import type { VolumeStore } from './volume-store.js';

/** The mounts another container shares through --volumes-from CTR[:ro|rw]. */
export function volumesFromMounts(spec: string, find: (nameOrId: string) => ContainerRecord): ContainerMount[] {
  const colon = spec.lastIndexOf(':');
  const mode = colon > 0 ? spec.slice(colon + 1) : '';
  if (mode && mode !== 'ro' && mode !== 'rw') throw usageError(`invalid --volumes-from "${spec}"`, 'use --volumes-from CONTAINER[:ro|rw]');
  const other = find(mode ? spec.slice(0, colon) : spec);
  return (other.config.mounts ?? [])
    .filter((m) => m.type === 'volume' || m.type === 'bind')
    .map((m) => {
      let options = m.options;
      if (mode === 'ro' && !options.includes('ro')) options = [...options, 'ro'];
      if (mode === 'rw') options = options.filter((o) => o !== 'ro');
      return { ...m, options, anonymous: false };
    });
}

/**
 * All of a new container's mounts, with volumes created and their sources filled in. `created`
 * lists the volumes this call made, for the caller to remove if creating the container fails.
 */
export function prepareMounts(
  store: VolumeStore,
  mounts: ContainerMount[],
  shared: ContainerMount[],
  imageVolumes: string[],
): { mounts: ContainerMount[]; created: string[] } {
  const seen = new Set<string>();
  for (const m of mounts) {
    if (seen.has(m.destination)) throw usageError(`duplicate mount destination ${m.destination}`, 'give each mount its own container path');
    seen.add(m.destination);
  }
  const all = [...mounts];
  for (const m of shared) if (!seen.has(m.destination)) (seen.add(m.destination), all.push(m));
  for (const v of imageVolumes) {
    const dest = path.posix.normalize(v);
    if (!seen.has(dest)) (seen.add(dest), all.push(parseVolumeFlag(dest)));
  }
  const created: string[] = [];
  try {
    for (const m of all) {
      if (m.type !== 'volume') continue;
      if (!m.name) {
        const v = store.create({ anonymous: true });
        created.push(v.name);
        m.name = v.name;
      } else if (!store.find(m.name)) {
        store.create({ name: m.name }, true);
        created.push(m.name);
      }
      m.source = store.dataPath(m.name);
    }
  } catch (e) {
    removeVolumes(store, created);
    throw e;
  }
  return { mounts: all, created };
}

/** Remove volumes (best effort: one another container uses stays). */
export function removeVolumes(store: VolumeStore, names: readonly string[]): void {
  for (const n of names) {
    try {
      store.remove(n);
    } catch (e) {
      if (!isSelkieError(e)) throw e;
    }
  }
}

/** The anonymous volumes of a container (removed with it by rm -v and --rm). */
export function anonymousVolumes(c: ContainerRecord): string[] {
  return (c.config.mounts ?? []).filter((m) => m.type === 'volume' && m.anonymous && m.name).map((m) => m.name!);
}

/**
 * The OCI mounts of a container's mounts, as it starts on root filesystem `rootfs`: a volume's
 * directory (copied up from the image on first use) or its driver mount.
 */
export async function specMounts(store: VolumeStore | undefined, mounts: readonly ContainerMount[], rootfs: string, user?: { uid: number; gid: number }): Promise<SpecMount[]> {
  const out: SpecMount[] = [];
  const chowns = mounts.filter((m) => m.chownToUser && user && m.source && m.type !== 'tmpfs').map((m) => (m.type === 'volume' && store ? store.dataPath(m.name!) : m.source));
  for (const m of mounts) {
    if (m.type !== 'volume') {
      out.push({ destination: m.destination, source: m.source, type: m.type, options: m.options });
      continue;
    }
    const v = store?.mustFind(m.name!);
    if (!v || !store) continue;
    const opts = v.options;
    if (opts.type || opts.device || opts.o) {
      const type = opts.type && opts.type !== 'none' ? opts.type : 'bind';
      const o = (opts.o ?? '').split(',').filter(Boolean);
      const options = type === 'bind' ? ['rbind', ...o.filter((x) => x !== 'bind'), ...m.options.filter((x) => x === 'ro' || x === 'nodev' || x === 'nosuid' || x === 'noexec')] : [...o, ...m.options.filter((x) => x !== 'rbind')];
      out.push({ destination: m.destination, source: opts.device ?? opts.type ?? 'tmpfs', type, options });
      continue;
    }
    const data = store.dataPath(v.name);
    if (v.needsCopyUp) {
      if (!m.noCopy) await copyUp(resolveInRoot(rootfs, m.destination), data);
      store.copiedUp(v.name);
    }
    out.push({ destination: m.destination, source: data, type: 'bind', options: m.options });
  }
  // after the copy-up, which brings the image's owners
  for (const source of chowns) await runToolOk('chown', ['-R', '-h', `${user!.uid}:${user!.gid}`, '--', source], `chown of ${source} for the U option`);
  return out;
}

/** Docker's copy-up: the image's directory at the mount point fills an empty volume, owner and mode included. */
async function copyUp(from: string, data: string): Promise<void> {
  let st: fs.Stats;
  try {
    st = fs.statSync(from);
  } catch {
    return;
  }
  if (!st.isDirectory() || fs.readdirSync(data).length > 0) return;
  fs.chownSync(data, st.uid, st.gid);
  fs.chmodSync(data, st.mode & 0o7777);
  if (fs.readdirSync(from).length > 0) await runToolOk('cp', ['-a', '--', `${from}/.`, `${data}/`], `copying ${from} into a volume`);
}

/** The mounts of a container being created, from its flags, --volumes-from and the image's VOLUMEs. */
export function createMounts(
  store: VolumeStore,
  flags: { volumes?: string[]; mounts?: string[]; tmpfs?: string[]; volumesFrom?: string[] },
  imageVolumes: Record<string, object> | undefined,
  findContainer: (nameOrId: string) => ContainerRecord,
): { mounts: ContainerMount[]; created: string[]; names: string[] } {
  const own = [...(flags.volumes ?? []).map(parseVolumeFlag), ...(flags.mounts ?? []).map(parseMountFlag), ...(flags.tmpfs ?? []).map(parseTmpfsFlag)];
  const shared = (flags.volumesFrom ?? []).flatMap((v) => volumesFromMounts(v, findContainer));
  const r = prepareMounts(store, own, shared, Object.keys(imageVolumes ?? {}));
  const names = [...new Set(r.mounts.filter((m) => m.type === 'volume').map((m) => m.name!))];
  return { ...r, names };
}
