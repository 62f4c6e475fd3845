/**
 * Commands that act on several pods (start, stop, kill, pause, unpause, restart, rm): run the action
 * for each pod at once, print each pod's ID as Podman does, report every container that failed on
 * stderr and exit 125 when anything failed.
 */
import { describeError, isSelkieError } from '../../engine/errors.js';
import type { Engine } from '../../engine/engine.js';
import type { PodActionReport } from '../../engine/types/pod.js';
import type { CommandModule } from '../command-module.js';
import type { CliContext } from '../context.js';

/** `action` may return undefined for a pod it skipped (--ignore): nothing is printed for it. */
export async function forEachPod(ctx: CliContext, names: string[], action: (name: string) => Promise<PodActionReport | { id: string } | undefined>): Promise<number> {
  const results = await Promise.allSettled(names.map((n) => action(n)));
  let code = 0;
  results.forEach((r) => {
    if (r.status === 'rejected') {
      if (!isSelkieError(r.reason)) throw r.reason;
      ctx.err(`Error: ${describeError(r.reason)}`);
      code = 125;
      return;
    }
    if (!r.value) return;
    const errors = 'errors' in r.value ? r.value.errors : [];
    if (errors.length) {
      ctx.err(`Error: not all containers of pod ${r.value.id.slice(0, 12)} could be acted on:`);
      for (const e of errors) ctx.err(`  ${e.container}: ${e.message}`);
      code = 125;
    }
    ctx.out(`${r.value.id}\n`);
  });
  return code;
}

/** A command taking POD... and applying `act` to each; `configure` adds its own flags. */
export function eachPodCommand(
  act: (engine: Engine, name: string, opts: Record<string, unknown>) => Promise<PodActionReport | { id: string }>,
  configure: CommandModule['configure'] = () => {},
): CommandModule {
  return {
    usage: '[OPTIONS] POD [POD...]',
    configure(cmd) {
      cmd.argument('<pod...>');
      configure(cmd);
    },
    async run(ctx, args, opts) {
      const engine = await ctx.engine();
      return forEachPod(ctx, args, (n) => act(engine, n, opts));
    },
  };
}
