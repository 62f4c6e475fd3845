/**
 * Files the engine makes for a container in a user namespace (/etc/hosts, /etc/resolv.conf,
 * /etc/hostname) belong to the container's root, as Podman makes them: owned by the host ID its
 * root maps to, in a directory that ID can reach.
 */
import fs from 'node:fs';
import type { IdMappings } from './id-mappings.js';
import { hostRoot } from '../storage/id-shift.js';

export function shareWithMappedRoot(dir: string, files: readonly string[], maps: IdMappings): void {
  const root = hostRoot(maps);
  fs.chmodSync(dir, 0o711);
  for (const f of files) if (typeof f === 'string' && fs.existsSync(f)) fs.chownSync(f, root.uid, root.gid);
}
