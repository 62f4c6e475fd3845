import type { CommandModule } from '../command-module.js';

export const command: CommandModule = {
  usage: 'NETWORK',
  configure(cmd) {
    cmd.argument('<network>');
  },
  async run(ctx, args) {
    return (await (await ctx.engine()).networks.exists(args[0]!)) ? 0 : 1;
  },
};
