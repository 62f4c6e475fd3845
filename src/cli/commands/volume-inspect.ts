import type { CommandModule } from '../command-module.js';
import { printInspect } from '../output/inspect-output.js';

export const command: CommandModule = {
  usage: '[OPTIONS] VOLUME [VOLUME...]',
  configure(cmd) {
    cmd
      .argument('[volume...]')
      .option('-a, --all', 'inspect all volumes')
      .option('-f, --format <template>', "format the output with a Go template, or 'json'");
  },
  async run(ctx, args, opts) {
    const engine = await ctx.engine();
    const names = opts.all ? (await engine.volumes.list()).map((v) => v.Name) : args;
    if (!names.length && !opts.all) throw new (await import('../../engine/errors.js')).SelkieError('usage', 'volume inspect requires at least one volume name', { hint: 'or use --all' });
    return printInspect(ctx, names, (n) => engine.volumes.inspect(n), opts.format as string | undefined);
  },
};
