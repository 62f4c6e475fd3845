import type { CommandModule } from '../command-module.js';
import { collect } from '../command-module.js';
import { forEachContainer } from '../output/each-container.js';
import { idsFromCidFiles, ignoringMissing } from '../output/cidfile-args.js';
import { intArg } from '../output/run-flags.js';
import { usageError } from '../../engine/errors.js';

export const command: CommandModule = {
  usage: '[OPTIONS] CONTAINER [CONTAINER...]',
  configure(cmd) {
    cmd
      .argument('[container...]')
      .option('-t, --time <seconds>', 'seconds to wait before killing the container', (v) => intArg('--time', v))
      .option('--cidfile <file>', 'read the container ID from this file (repeatable)', collect, [])
      .option('-i, --ignore', 'ignore containers (and --cidfile files) that do not exist');
  },
  async run(ctx, args, opts) {
    const ignore = Boolean(opts.ignore);
    const names = [...args, ...idsFromCidFiles(opts.cidfile as string[], ignore)];
    if (!names.length) {
      if ((opts.cidfile as string[]).length && ignore) return 0; // the unit's container is gone already
      throw usageError('stop requires at least one container name or ID', 'or use --cidfile');
    }
    const engine = await ctx.engine();
    // Several containers stop in parallel: N containers that ignore SIGTERM take one timeout, not N.
    return forEachContainer(
      ctx,
      names,
      ignoringMissing(ignore, async (n) => {
        await engine.containers.stop(n, { timeout: opts.time as number | undefined });
        return n;
      }),
      { parallel: true },
    );
  },
};
