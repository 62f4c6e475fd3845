import type { CommandModule } from '../command-module.js';
import { forEachContainer } from '../output/each-container.js';

export const command: CommandModule = {
  usage: '[OPTIONS] CONTAINER [CONTAINER...]',
  configure(cmd) {
    cmd
      .argument('[container...]')
      .option('-f, --force', 'force the removal of a running container (uses SIGKILL)')
      .option('-a, --all', 'remove all containers')
      .option('-v, --volumes', 'remove anonymous volumes associated with the container');
  },
  async run(ctx, args, opts) {
    const engine = await ctx.engine();
    const names = opts.all ? (await engine.containers.list({ all: true })).map((c) => c.Id) : args;
    if (!names.length && !opts.all) throw new (await import('../../engine/errors.js')).SelkieError('usage', 'rm requires at least one container name or ID', { hint: 'or use --all' });
    return forEachContainer(
      ctx,
      names,
      async (n) => {
        await engine.containers.remove(n, { force: Boolean(opts.force), volumes: Boolean(opts.volumes) });
        return n;
      },
      { notFoundExit: 1 },
    );
  },
};
