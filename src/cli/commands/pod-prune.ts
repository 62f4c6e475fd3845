import type { CommandModule } from '../command-module.js';
import { confirm } from '../output/confirm.js';

export const command: CommandModule = {
  usage: '[OPTIONS]',
  configure(cmd) {
    cmd.option('-f, --force', 'do not prompt for confirmation');
  },
  async run(ctx, _args, opts) {
    if (!opts.force && !(await confirm('WARNING! This will remove all stopped/exited pods..\nAre you sure you want to continue? [y/N] '))) return 0;
    const report = await (await ctx.engine()).pods.prune();
    ctx.out(report.removed.map((id) => `${id}\n`).join(''));
    for (const e of report.errors) ctx.err(`Error: pod ${e.id.slice(0, 12)}: ${e.message}`);
    return report.errors.length ? 125 : 0;
  },
};
