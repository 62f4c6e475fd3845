import type { CommandModule } from '../command-module.js';
import { addCreateFlags, createOptions } from '../output/run-flags.js';

export const command: CommandModule = {
  usage: '[OPTIONS] IMAGE [COMMAND] [ARG...]',
  passThrough: true,
  configure(cmd) {
    addCreateFlags(cmd);
  },
  async run(ctx, args, opts) {
    const created = await (await ctx.engine()).containers.create(createOptions(args, opts, ctx.globals.runtime));
    for (const w of created.warnings) ctx.err(`WARNING: ${w}`);
    ctx.out(created.id);
  },
};
