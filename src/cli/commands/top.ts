import type { CommandModule } from '../command-module.js';
import { printTop } from '../output/top-table.js';

export const command: CommandModule = {
  usage: 'CONTAINER [DESCRIPTORS...]',
  description:
    'Display the running processes of a container. Descriptors (AIX format, as Podman): user, pid, ppid, pcpu, etime, time, tty, args, comm, and the host view huser, hpid, uid, huid.',
  examples: ['selkie top web', 'selkie top web pid hpid user huser args'],
  configure(cmd) {
    cmd.argument('<container>').argument('[descriptors...]');
  },
  async run(ctx, args) {
    const [name, ...descriptors] = args as [string, ...string[]];
    printTop(ctx, await (await ctx.engine()).containers.top(name, descriptors));
  },
};
