/**
 * `--cidfile FILE`: the new container's ID written to FILE (which must not exist yet, as Podman
 * insists, so two units cannot share one); `stop/rm --cidfile FILE` read it back.
 */
import fs from 'node:fs';
import { SelkieError, usageError } from '../errors.js';
import { writeFileAtomic } from '../util/atomic-file.js';

export function checkCidFileFree(file: string): void {
  if (fs.existsSync(file)) {
    throw usageError(`container ID file ${file} already exists`, 'another container may be using it: remove the file, or choose another --cidfile');
  }
}

export function writeCidFile(file: string, id: string): void {
  try {
    writeFileAtomic(file, id, 0o644);
  } catch (e) {
    throw new SelkieError('invalid', `cannot write the container ID file ${file}: ${(e as Error).message}`, { cause: e });
  }
}

/** The ID in a cidfile; undefined when the file does not exist. */
export function readCidFile(file: string): string | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new SelkieError('invalid', `cannot read the container ID file ${file}: ${(e as Error).message}`, { cause: e });
  }
  const id = text.trim();
  if (!/^[0-9a-f]{12,64}$/.test(id)) throw usageError(`the container ID file ${file} does not hold a container ID`);
  return id;
}
