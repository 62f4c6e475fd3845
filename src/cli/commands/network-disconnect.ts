import type { CommandModule } from '../command-module.js';

export const command: CommandModule = {
  usage: '[OPTIONS] NETWORK CONTAINER',
  configure(cmd) {
    cmd.argument('<network>').argument('<container>').option('-f, --force', 'force the container to disconnect');
  },
  async run(ctx, args, opts) {
    await (await ctx.engine()).networks.disconnect(args[0]!, args[1]!, { force: Boolean(opts.force) });
  },
};
