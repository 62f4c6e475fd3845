import type { CommandModule } from '../command-module.js';
import { describeError, isSelkieError } from '../../engine/errors.js';

export const command: CommandModule = {
  usage: '[OPTIONS] NETWORK [NETWORK...]',
  configure(cmd) {
    cmd.argument('<network...>').option('-f, --force', 'remove the containers that use the network too');
  },
  async run(ctx, args, opts) {
    const engine = await ctx.engine();
    let failed = 0;
    for (const n of args) {
      try {
        ctx.out(`${await engine.networks.remove(n, { force: Boolean(opts.force) })}\n`);
      } catch (e) {
        if (!isSelkieError(e)) throw e;
        ctx.err(`Error: ${describeError(e)}`);
        failed = e.exitCode;
      }
    }
    return failed;
  },
};
