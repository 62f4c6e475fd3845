/**
 * `inspect` output shared by every object kind: a JSON array of all found objects (4-space indent,
 * as Docker/Podman print), or a --format template per object. Objects that are not found are
 * reported on stderr after the others, and the exit code is 125 when any was missing.
 */
import { describeError, isSelkieError } from '../../engine/errors.js';
import type { CliContext } from '../context.js';
import { formatOne } from '../format/output.js';

export async function printInspect(ctx: CliContext, names: string[], get: (name: string) => Promise<unknown>, format?: string): Promise<number> {
  const found: unknown[] = [];
  const errors: string[] = [];
  for (const n of names) {
    try {
      found.push(await get(n));
    } catch (e) {
      if (!isSelkieError(e) || e.kind !== 'not-found') throw e;
      errors.push(describeError(e));
    }
  }
  if (format && format !== 'json') {
    for (const f of found) ctx.out(formatOne(format, f));
  } else {
    ctx.out(JSON.stringify(found, null, 4));
  }
  for (const e of errors) ctx.err(`Error: ${e}`);
  return errors.length ? 125 : 0;
}
