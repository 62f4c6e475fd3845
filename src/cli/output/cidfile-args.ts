/**
 * `stop/rm --cidfile FILE` and `--ignore`: containers named by the ID a `run --cidfile` wrote, and
 * missing containers (or cidfiles) that are not an error — what systemd units generated with
 * `generate systemd --new` rely on in ExecStop/ExecStopPost.
 */
import fs from 'node:fs';
import { SelkieError, isSelkieError, usageError } from '../../engine/errors.js';

/**
 * The IDs in ID files (`--cidfile`, `--pod-id-file`); a missing file is skipped with `ignore`, else
 * an error naming the file. `what` names the object ("container", "pod").
 */
export function idsFromIdFiles(files: string[], ignore: boolean, what: string): string[] {
  const ids: string[] = [];
  for (const f of files) {
    let text: string;
    try {
      text = fs.readFileSync(f, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT' && ignore) continue;
      throw new SelkieError('not-found', `cannot read the ${what} ID file ${f}: ${(e as Error).message}`, { hint: 'use --ignore to skip missing files' });
    }
    const id = text.trim();
    if (!/^[0-9a-f]{12,64}$/.test(id)) throw usageError(`the ${what} ID file ${f} does not hold a ${what} ID`);
    ids.push(id);
  }
  return ids;
}

/** The container IDs in the cidfiles. */
export const idsFromCidFiles = (files: string[], ignore: boolean): string[] => idsFromIdFiles(files, ignore, 'container');

/** With --ignore, a container that does not exist is no failure (and prints nothing). */
export function ignoringMissing<T>(ignore: boolean, action: (n: string) => Promise<T>): (n: string) => Promise<T | undefined> {
  return async (n) => {
    try {
      return await action(n);
    } catch (e) {
      if (ignore && isSelkieError(e) && e.kind === 'not-found') return undefined;
      throw e;
    }
  };
}
