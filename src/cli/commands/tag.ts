import type { CommandModule } from '../command-module.js';

export const command: CommandModule = {
  usage: 'SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG] [TARGET_IMAGE...]',
  configure(cmd) {
    cmd.argument('<source>').argument('<target...>');
  },
  async run(ctx, args) {
    const engine = await ctx.engine();
    const [source, ...targets] = args as [string, ...string[]];
    for (const t of targets) await engine.images.tag(source, t);
  },
};
