import type { CommandModule } from '../command-module.js';
import { collect } from '../command-module.js';
import { parseFilters } from '../output/filters.js';
import { humanSize } from '../output/human.js';
import { confirm } from '../output/confirm.js';

export const command: CommandModule = {
  usage: '[OPTIONS]',
  description: 'Remove dangling images (with -a, all images no container uses), then the layers nothing references',
  configure(cmd) {
    cmd
      .option('-a, --all', 'remove all images not used by a container, not just dangling ones')
      .option('-f, --force', 'do not prompt for confirmation')
      .option('--filter <filter>', 'only prune images matching: until=TIME, label=KEY[=VALUE], label!=KEY[=VALUE]', collect, []);
  },
  async run(ctx, _args, opts) {
    const filters = parseFilters(opts.filter as string[]);
    const all = Boolean(opts.all);
    // Only an interactive terminal is asked; scripts (no TTY) proceed, as Podman's -f would.
    if (!opts.force && process.stdin.isTTY === true) {
      const what = all ? 'all images without at least one container associated to them' : 'all dangling images';
      if (!(await confirm(`WARNING! This will remove ${what}.\nAre you sure you want to continue? [y/N] `))) return 0;
    }
    const report = await (await ctx.engine()).images.prune({ all, filters });
    if (report.deleted.length > 0) {
      const lines = ['Deleted Images:', ...report.untagged.map((n) => `untagged: ${n}`), ...report.deleted.map((d) => `deleted: ${d}`), '', ''];
      ctx.out(lines.join('\n'));
    }
    ctx.out(`Total reclaimed space: ${humanSize(report.spaceReclaimed)}`);
  },
};
