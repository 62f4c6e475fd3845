/**
 * Commands that act on several containers (start, stop, kill, rm, wait) run the action for each,
 * print what the action returns, report failures on stderr and exit 125 if any failed
 * (`notFoundExit` when the only failures were containers that do not exist: 1 for rm, as Podman).
 */
import { describeError, isSelkieError } from '../../engine/errors.js';
import type { CliContext } from '../context.js';

export async function forEachContainer(
  ctx: CliContext,
  names: string[],
  action: (name: string) => Promise<string | undefined>,
  opts: { parallel?: boolean; notFoundExit?: number } = {},
): Promise<number> {
  const results = opts.parallel
    ? await Promise.allSettled(names.map((n) => action(n)))
    : await sequential(names, action);
  let code = 0;
  results.forEach((r) => {
    if (r.status === 'fulfilled') {
      if (r.value !== undefined) ctx.out(r.value);
      return;
    }
    if (!isSelkieError(r.reason)) throw r.reason;
    ctx.err(`Error: ${describeError(r.reason)}`);
    code = Math.max(code, r.reason.kind === 'not-found' ? (opts.notFoundExit ?? 125) : 125);
  });
  return code;
}

async function sequential<T>(names: string[], action: (n: string) => Promise<T>): Promise<PromiseSettledResult<T>[]> {
  const out: PromiseSettledResult<T>[] = [];
  for (const n of names) {
    try {
      out.push({ status: 'fulfilled', value: await action(n) });
    } catch (e) {
      out.push({ status: 'rejected', reason: e });
    }
  }
  return out;
}
