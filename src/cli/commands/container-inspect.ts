import type { CommandModule } from '../command-module.js';
import { printInspect } from '../output/inspect-output.js';

export const command: CommandModule = {
  usage: '[OPTIONS] CONTAINER [CONTAINER...]',
  configure(cmd) {
    cmd.argument('<container...>').option('-f, --format <template>', "format the output with a Go template, or 'json'");
  },
  async run(ctx, args, opts) {
    const engine = await ctx.engine();
    return printInspect(ctx, args, (a) => engine.containers.inspect(a), opts.format as string | undefined);
  },
};
