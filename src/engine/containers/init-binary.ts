/** The init that `--init` runs as PID 1: Debian's catatonit. */
import { missingTool } from '../errors.js';
import { which } from '../util/which.js';

export function initBinary(): string {
  const p = which('catatonit') ?? which('/usr/libexec/podman/catatonit');
  if (!p) throw missingTool('catatonit', 'catatonit');
  return p;
}
