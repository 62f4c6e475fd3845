import type { CommandModule } from '../command-module.js';

export const command: CommandModule = {
  usage: 'CONTAINER NAME',
  configure(cmd) {
    cmd.argument('<container>').argument('<name>');
  },
  async run(ctx, args) {
    await (await ctx.engine()).containers.rename(args[0]!, args[1]!);
  },
};
