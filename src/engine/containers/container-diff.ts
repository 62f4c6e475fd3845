/**
 * `diff`: what a container changed in its root filesystem against its image, as Docker reports it
 * (C changed, A added, D deleted; a directory that holds changes is itself C).
 * overlay: the container's upper directory is the change set: 0/0 character devices are deletions,
 * an opaque directory hides (deletes) what the layers below had in it; whether an entry is A or C
 * depends on whether a lower layer has it. vfs: the container's full copy is compared with the
 * image's top layer (mode, owner, size, mtime, link target, device).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { StorageDriver } from '../storage/storage-driver.js';
import { runTool } from '../storage/host-tools.js';
import { isOverlayWhiteout } from '../storage/whiteout.js';
import type { FilesystemChange } from '../types/container-ops.js';

export const CHANGED = 0;
export const ADDED = 1;
export const DELETED = 2;

/**
 * Mount points the runtime creates in every container (Podman's list): they are the engine's, not
 * the container's changes, so diff and commit leave them out.
 */
const runtimeMountPoints = new Set(['/dev', '/etc/hostname', '/etc/hosts', '/etc/resolv.conf', '/etc/mtab', '/proc', '/run', '/run/.containerenv', '/run/secrets', '/run/notify', '/sys']);

export async function containerChanges(storage: StorageDriver, containerId: string, imageTopLayer: string | null): Promise<FilesystemChange[]> {
  const all = storage.name === 'overlay' ? await overlayChanges(storage.home, containerId) : vfsChanges(path.join(storage.home, 'dir', containerId), imageTopLayer === null ? null : path.join(storage.home, 'dir', imageTopLayer));
  const out = all.filter((c) => !(runtimeMountPoints.has(c.Path) && c.Kind !== DELETED));
  return out.sort((a, b) => (a.Path < b.Path ? -1 : a.Path > b.Path ? 1 : 0));
}

const lstat = (p: string) => fs.lstatSync(p, { throwIfNoEntry: false });
const names = (dir: string): string[] => {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
};

async function overlayChanges(home: string, id: string): Promise<FilesystemChange[]> {
  const upper = path.join(home, id, 'diff');
  const lowerText = (() => {
    try {
      return fs.readFileSync(path.join(home, id, 'lower'), 'utf8').trim();
    } catch {
      return '';
    }
  })();
  const lowers = lowerText ? lowerText.split(':').map((l) => path.join(home, l)) : [];
  const opaque = await opaqueDirs(upper);
  const changes: FilesystemChange[] = [];

  /** Whether the layers below show `rel` (topmost first; a whiteout or an opaque parent ends the search). */
  const inLower = (rel: string): boolean => {
    const parts = rel.split('/');
    for (const layer of lowers) {
      const st = lstat(path.join(layer, rel));
      if (st) return !isOverlayWhiteout({ isCharacterDevice: () => st.isCharacterDevice(), rdev: Number(st.rdev) });
      for (let i = 1; i < parts.length; i++) {
        const parent = path.join(layer, ...parts.slice(0, i));
        if (lowerOpaque(parent)) return false;
      }
    }
    return false;
  };
  /** Names the lower layers show in directory `rel`. */
  const lowerNames = (rel: string): string[] => {
    const seen = new Set<string>();
    for (const layer of lowers) for (const n of names(path.join(layer, rel))) seen.add(n);
    return [...seen].filter((n) => inLower(rel ? `${rel}/${n}` : n));
  };

  const walk = (rel: string) => {
    for (const n of names(path.join(upper, rel)).sort()) {
      const r = rel ? `${rel}/${n}` : n;
      const st = lstat(path.join(upper, r));
      if (!st) continue;
      if (st.isCharacterDevice() && Number(st.rdev) === 0) {
        if (inLower(r)) changes.push({ Path: `/${r}`, Kind: DELETED });
        continue;
      }
      const below = inLower(r);
      changes.push({ Path: `/${r}`, Kind: below ? CHANGED : ADDED });
      if (!st.isDirectory()) continue;
      if (below && opaque.has(r)) {
        const mine = new Set(names(path.join(upper, r)));
        for (const hidden of lowerNames(r)) if (!mine.has(hidden)) changes.push({ Path: `/${r}/${hidden}`, Kind: DELETED });
      }
      walk(r);
    }
  };
  walk('');
  return changes;
}

/** Directories of an upper layer marked opaque (trusted.overlay.opaque or user.overlay.opaque = y), relative. */
async function opaqueDirs(upper: string): Promise<Set<string>> {
  const r = await runTool('getfattr', ['-R', '-h', '-d', '-m', '^(trusted|user)\\.overlay\\.opaque$', '--absolute-names', upper]).catch(() => undefined);
  const out = new Set<string>();
  let file = '';
  for (const line of (r?.stdout ?? '').split('\n')) {
    if (line.startsWith('# file: ')) file = line.slice(8);
    else if (/overlay\.opaque="y"/.test(line) && file.startsWith(`${upper}/`)) out.add(file.slice(upper.length + 1));
  }
  return out;
}

const opaqueCache = new Map<string, boolean>();
/** Whether a lower layer's directory is opaque (lower layers never change, so the answer is cached). */
function lowerOpaque(dir: string): boolean {
  let v = opaqueCache.get(dir);
  if (v === undefined) {
    v = Boolean(lstat(dir)?.isDirectory()) && spawnSync('getfattr', ['-h', '--only-values', '-n', 'trusted.overlay.opaque', dir], { encoding: 'utf8' }).stdout === 'y';
    opaqueCache.set(dir, v);
  }
  return v;
}

function vfsChanges(ctr: string, img: string | null): FilesystemChange[] {
  const changes: FilesystemChange[] = [];
  const allAdded = (rel: string) => {
    for (const n of names(path.join(ctr, rel)).sort()) {
      const r = `${rel}/${n}`;
      changes.push({ Path: `/${r}`, Kind: ADDED });
      if (lstat(path.join(ctr, r))?.isDirectory()) allAdded(r);
    }
  };
  const cmp = (rel: string): boolean => {
    const before = changes.length;
    const here = new Set(names(path.join(ctr, rel)));
    const old = img ? names(path.join(img, rel)) : [];
    for (const n of [...new Set([...here, ...old])].sort()) {
      const r = rel ? `${rel}/${n}` : n;
      const a = img ? lstat(path.join(img, r)) : undefined;
      const b = lstat(path.join(ctr, r));
      if (!b) {
        changes.push({ Path: `/${r}`, Kind: DELETED });
        continue;
      }
      if (!a) {
        changes.push({ Path: `/${r}`, Kind: ADDED });
        if (b.isDirectory()) allAdded(r);
        continue;
      }
      const mark = changes.length;
      let changed = a.mode !== b.mode || a.uid !== b.uid || a.gid !== b.gid || a.rdev !== b.rdev;
      if (!changed && !b.isDirectory()) changed = a.size !== b.size || a.mtimeMs !== b.mtimeMs;
      if (!changed && b.isSymbolicLink()) changed = fs.readlinkSync(path.join(img!, r)) !== fs.readlinkSync(path.join(ctr, r));
      if (a.isDirectory() && b.isDirectory()) {
        const inner = cmp(r);
        if (changed || inner) changes.splice(mark, 0, { Path: `/${r}`, Kind: CHANGED });
      } else if (changed) {
        changes.push({ Path: `/${r}`, Kind: CHANGED });
      }
    }
    return changes.length > before;
  };
  cmp('');
  return changes;
}
