import type { CommandModule } from '../command-module.js';
import { forEachContainer } from '../output/each-container.js';

export const command: CommandModule = {
  usage: 'CONTAINER [CONTAINER...]',
  configure(cmd) {
    cmd.argument('<container...>');
  },
  async run(ctx, args) {
    const engine = await ctx.engine();
    return forEachContainer(ctx, args, async (n) => {
      const p = await engine.containers.mount(n);
      return args.length > 1 ? `${n} ${p}` : p;
    });
  },
};
