import type { CommandModule } from '../command-module.js';
import { collect } from '../command-module.js';

export const command: CommandModule = {
  usage: '[OPTIONS] NETWORK CONTAINER',
  configure(cmd) {
    cmd
      .argument('<network>')
      .argument('<container>')
      .option('--ip <address>', 'IPv4 address for the container on this network')
      .option('--alias <alias>', 'network-scoped alias for the container', collect, []);
  },
  async run(ctx, args, opts) {
    await (await ctx.engine()).networks.connect(args[0]!, args[1]!, { ip: opts.ip as string | undefined, aliases: opts.alias as string[] });
  },
};
