import type { CommandModule } from '../command-module.js';
import { collect } from '../command-module.js';
import { parseFilters } from '../output/filters.js';
import { humanSize } from '../output/human.js';
import { confirm } from '../output/confirm.js';

export const command: CommandModule = {
  usage: '[OPTIONS]',
  configure(cmd) {
    cmd
      .option('-f, --force', 'do not prompt for confirmation')
      .option('--filter <filter>', 'only prune volumes matching: label=KEY[=VALUE], label!=KEY[=VALUE], until=TIME', collect, []);
  },
  async run(ctx, _args, opts) {
    const filters = parseFilters(opts.filter as string[]);
    if (!opts.force && !(await confirm('WARNING! This will remove all volumes not used by at least one container.\nAre you sure you want to continue? [y/N] '))) return 0;
    const report = await (await ctx.engine()).volumes.prune({ filters });
    ctx.out(report.removed.map((n) => `${n}\n`).join(''));
    for (const e of report.errors) ctx.err(`Error: ${e.message}`);
    ctx.out(`Total reclaimed space: ${humanSize(report.reclaimedBytes)}`);
    return report.errors.length ? 125 : 0;
  },
};
