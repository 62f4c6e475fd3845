import type { CommandModule } from '../command-module.js';
import { forEachContainer } from '../output/each-container.js';

export const command: CommandModule = {
  usage: '[OPTIONS] CONTAINER [CONTAINER...]',
  configure(cmd) {
    cmd.argument('<container...>').option('-s, --signal <signal>', 'signal to send to the container', 'SIGKILL');
  },
  async run(ctx, args, opts) {
    const engine = await ctx.engine();
    return forEachContainer(ctx, args, async (n) => {
      await engine.containers.kill(n, String(opts.signal));
      return n;
    });
  },
};
