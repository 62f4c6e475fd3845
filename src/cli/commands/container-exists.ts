import type { CommandModule } from '../command-module.js';
import { isSelkieError } from '../../engine/errors.js';

export const command: CommandModule = {
  usage: 'CONTAINER',
  configure(cmd) {
    cmd.argument('<container>');
  },
  async run(ctx, args) {
    try {
      await (await ctx.engine()).containers.inspect(args[0]!);
      return 0;
    } catch (e) {
      if (isSelkieError(e) && e.kind === 'not-found') return 1;
      throw e;
    }
  },
};
