import type { CommandModule } from '../command-module.js';

export const command: CommandModule = {
  usage: 'VOLUME',
  configure(cmd) {
    cmd.argument('<volume>');
  },
  async run(ctx, args) {
    return (await (await ctx.engine()).volumes.exists(args[0]!)) ? 0 : 1;
  },
};
