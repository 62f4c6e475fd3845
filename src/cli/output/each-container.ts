/**
 * Commands that act on several containers (start, stop, kill, rm, wait) run the action for each,
 * print what the action returns, report failures on stderr and exit 125 if any failed
 * (`notFoundExit` when the only failures were containers that do not exist: 1 for rm, as Podman).
 */
import { describeError, isSelkieError } from '../../engine/errors.js';
import type { CliContext } from '../context.js';
import type { Engine } from '../../engine/engine.js';
import type { CommandModule } from '../command-module.js';

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

/**
 * A command that takes CONTAINER... and does one thing to each, printing what `act` returns (by
 * default the name as given, as Docker prints for pause, unpause, start, ...).
 */
export function eachContainerCommand(
  act: (engine: Engine, name: string, all: string[]) => Promise<string | void>,
  opts: { parallel?: boolean; notFoundExit?: number } = {},
): CommandModule {
  return {
    usage: 'CONTAINER [CONTAINER...]',
    configure(cmd) {
      cmd.argument('<container...>');
    },
    async run(ctx, args) {
      const engine = await ctx.engine();
      return forEachContainer(ctx, args, async (n) => (await act(engine, n, args)) ?? n, opts);
    },
  };
}
