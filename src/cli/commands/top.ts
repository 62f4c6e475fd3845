import type { CommandModule } from '../command-module.js';

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
    const top = await (await ctx.engine()).containers.top(name, descriptors);
    const rows = [top.titles, ...top.processes];
    const widths = top.titles.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
    ctx.out(rows.map((r) => r.map((v, i) => (i === r.length - 1 ? v : v.padEnd(widths[i]!))).join('   ')).join('\n'));
  },
};
