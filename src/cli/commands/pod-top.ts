import type { CommandModule } from '../command-module.js';
import { printTop } from '../output/top-table.js';

export const command: CommandModule = {
  usage: 'POD [DESCRIPTORS...]',
  description: 'Display the running processes of every container in a pod (descriptors as for selkie top)',
  configure(cmd) {
    cmd.argument('<pod>').argument('[descriptors...]');
  },
  async run(ctx, args) {
    const [name, ...descriptors] = args as [string, ...string[]];
    printTop(ctx, await (await ctx.engine()).pods.top(name, descriptors));
  },
};
