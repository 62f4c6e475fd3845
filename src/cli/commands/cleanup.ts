import type { CommandModule } from '../command-module.js';

export const command: CommandModule = {
  usage: 'CONTAINER',
  description: "Record a container's exit and release its resources (conmon runs this when the container exits)",
  configure(cmd) {
    cmd
      .argument('<container>')
      .option('--rm', 'also remove the container')
      .option('--run <token>', 'release only this run of the container (conmon passes it)');
  },
  async run(ctx, args, opts) {
    // Without --rm, the container's own --rm setting decides.
    await (await ctx.engine()).containers.cleanup(args[0]!, { remove: opts.rm ? true : undefined, run: opts.run as string | undefined });
  },
};
