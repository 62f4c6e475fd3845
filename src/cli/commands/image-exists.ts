import type { CommandModule } from '../command-module.js';

export const command: CommandModule = {
  usage: 'IMAGE',
  configure(cmd) {
    cmd.argument('<image>');
  },
  async run(ctx, args) {
    return (await (await ctx.engine()).images.exists(args[0]!)) ? 0 : 1;
  },
};
