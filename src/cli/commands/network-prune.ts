import type { CommandModule } from '../command-module.js';
import { collect } from '../command-module.js';
import { parseFilters } from '../output/filters.js';
import { confirm } from '../output/confirm.js';

export const command: CommandModule = {
  usage: '[OPTIONS]',
  description: 'Remove all networks no container uses (the default network stays)',
  configure(cmd) {
    cmd.option('-f, --force', 'do not prompt for confirmation').option('--filter <filter>', 'only prune networks matching: label=KEY[=VALUE], label!=', collect, []);
  },
  async run(ctx, _args, opts) {
    if (!opts.force && process.stdin.isTTY === true) {
      if (!(await confirm('WARNING! This will remove all networks not used by at least one container.\nAre you sure you want to continue? [y/N] '))) return 0;
    }
    const removed = await (await ctx.engine()).networks.prune({ filters: parseFilters(opts.filter as string[]) });
    ctx.out(removed.map((n) => `${n}\n`).join(''));
  },
};
