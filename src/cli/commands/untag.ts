import type { CommandModule } from '../command-module.js';

export const command: CommandModule = {
  usage: 'IMAGE [IMAGE...]',
  description: 'Remove one or more names from a locally-stored image (all of them when none is given), keeping the image',
  examples: ['selkie untag localhost/busybox', 'selkie untag localhost/busybox localhost/busybox:old'],
  configure(cmd) {
    cmd.argument('<image>').argument('[name...]');
  },
  async run(ctx, args) {
    const [image, ...names] = args as [string, ...string[]];
    await (await ctx.engine()).images.untag(image, names);
  },
};
