import type { CommandModule } from '../command-module.js';

export const command: CommandModule = {
  usage: 'POD',
  description: 'Check if a pod exists (exit 0 if it does, 1 if not)',
  configure(cmd) {
    cmd.argument('<pod>');
  },
  async run(ctx, args) {
    return (await (await ctx.engine()).pods.exists(args[0]!)) ? 0 : 1;
  },
};
