import type { CommandModule } from '../command-module.js';
import { printInspect } from '../output/inspect-output.js';

export const command: CommandModule = {
  usage: '[OPTIONS] IMAGE [IMAGE...]',
  configure(cmd) {
    cmd.argument('<image...>').option('-f, --format <template>', "format the output with a Go template, or 'json'");
  },
  async run(ctx, args, opts) {
    const engine = await ctx.engine();
    return printInspect(ctx, args, (a) => engine.images.inspect(a), opts.format as string | undefined);
  },
};
