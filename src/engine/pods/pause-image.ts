/**
 * The infra container's image: Debian's static `catatonit` in `-P` (pause) mode, which only holds
 * the pod's namespaces open. Built locally on first use, as Podman builds its podman-pause image, so
 * pods need no registry: one layer with /catatonit and the mount points the runtime uses.
 */
import fs from 'node:fs';
import { PassThrough } from 'node:stream';
import tarStream from 'tar-stream';
import type { ImageService } from '../engine.js';
import { missingTool } from '../errors.js';
import { SELKIE_VERSION } from '../version.js';

export const PAUSE_IMAGE = `localhost/selkie-pause:${SELKIE_VERSION}`;
const CATATONIT = ['/usr/bin/catatonit', '/usr/libexec/podman/catatonit'];

/** The pause image's name, building it when this storage does not have it yet. */
export async function ensurePauseImage(images: ImageService): Promise<string> {
  if (await images.exists(PAUSE_IMAGE)) return PAUSE_IMAGE;
  const binary = CATATONIT.find((p) => fs.existsSync(p));
  if (!binary) throw missingTool('catatonit', 'catatonit');
  await images.import(pauseTar(fs.readFileSync(binary)), {
    reference: PAUSE_IMAGE,
    changes: ['ENTRYPOINT ["/catatonit", "-P"]', 'LABEL io.selkie.infra=true'],
    message: 'selkie pod infra image',
  });
  return PAUSE_IMAGE;
}

function pauseTar(catatonit: Buffer): PassThrough {
  const pack = tarStream.pack();
  const mtime = new Date(0);
  for (const dir of ['dev', 'etc', 'proc', 'sys', 'run', 'tmp']) pack.entry({ name: `${dir}/`, type: 'directory', mode: dir === 'tmp' ? 0o1777 : 0o755, mtime });
  pack.entry({ name: 'catatonit', mode: 0o755, mtime }, catatonit);
  pack.finalize();
  const out = new PassThrough();
  pack.pipe(out);
  return out;
}
