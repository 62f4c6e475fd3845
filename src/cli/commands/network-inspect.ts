import type { CommandModule } from '../command-module.js';
import { printInspect } from '../output/inspect-output.js';

export const command: CommandModule = {
  usage: '[OPTIONS] NETWORK [NETWORK...]',
  configure(cmd) {
    cmd.argument('<network...>').option('-f, --format <template>', "format the output with a Go template, or 'json'");
  },
  async run(ctx, args, opts) {
    const engine = await ctx.engine();
    return printInspect(ctx, args, (n) => engine.networks.inspect(n), opts.format as string | undefined);
  },
};
