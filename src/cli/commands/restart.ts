import type { CommandModule } from '../command-module.js';
import { forEachContainer } from '../output/each-container.js';
import { intArg } from '../output/run-flags.js';

export const command: CommandModule = {
  usage: '[OPTIONS] CONTAINER [CONTAINER...]',
  configure(cmd) {
    cmd.argument('<container...>').option('-t, --time <seconds>', 'seconds to wait before killing the container', (v) => intArg('--time', v));
  },
  async run(ctx, args, opts) {
    const engine = await ctx.engine();
    return forEachContainer(ctx, args, async (n) => {
      await engine.containers.restart(n, { timeout: opts.time as number | undefined });
      return n;
    });
  },
};
