/**
 * `--storage-opt` values (Podman's global flag of the same name): the ones this engine knows, each
 * checked when the engine starts so a typo is a one-line error, not a silently ignored setting.
 * Supported: overlay.mount_program=PATH (mount overlays with a FUSE program, e.g.
 * /usr/bin/fuse-overlayfs, instead of the kernel's overlayfs).
 */
import { usageError } from '../errors.js';
import type { StorageDriverOptions } from './storage-factory.js';

const supported = ['overlay.mount_program'];

export function parseStorageOptions(opts: readonly string[] = []): StorageDriverOptions {
  const out: StorageDriverOptions = {};
  for (const o of opts) {
    const eq = o.indexOf('=');
    const key = (eq < 0 ? o : o.slice(0, eq)).trim();
    const value = eq < 0 ? '' : o.slice(eq + 1).trim();
    if (!supported.includes(key)) throw usageError(`unsupported --storage-opt "${o}"`, `supported: ${supported.map((k) => `${k}=VALUE`).join(', ')}`);
    if (!value) throw usageError(`--storage-opt ${key} needs a value`, `e.g. --storage-opt ${key}=/usr/bin/fuse-overlayfs`);
    out.mountProgram = value;
  }
  return out;
}
