import type { CommandModule } from '../command-module.js';

export const command: CommandModule = {
  usage: '[OPTIONS] [REGISTRY]',
  description: 'Remove the stored credentials for a registry',
  configure(cmd) {
    cmd.argument('[registry]').option('-a, --all', 'remove the credentials for all registries').option('--authfile <file>', 'path of the authentication file');
  },
  async run(ctx, args, opts) {
    const engine = await ctx.engine();
    await engine.images.logout(args[0], { all: Boolean(opts.all), authFile: opts.authfile as string | undefined });
    ctx.out(opts.all ? 'Removed login credentials for all registries' : `Removed login credentials for ${args[0]}`);
  },
};
