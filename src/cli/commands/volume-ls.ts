import type { CommandModule } from '../command-module.js';
import { collect } from '../command-module.js';
import { formatRows } from '../format/output.js';
import { parseFilters } from '../output/filters.js';

const defaultFormat = 'table {{.Driver}}\t{{.Name}}';
const headers = { Driver: 'DRIVER', Name: 'VOLUME NAME', Mountpoint: 'MOUNT POINT', CreatedAt: 'CREATED AT', Scope: 'SCOPE', Labels: 'LABELS' };

export const command: CommandModule = {
  usage: '[OPTIONS]',
  configure(cmd) {
    cmd
      .option('-q, --quiet', 'only show volume names')
      .option('-f, --filter <filter>', 'filter: name=, label=KEY[=VALUE], label!=, driver=, dangling=true|false', collect, [])
      .option('--format <template>', "format the output with a Go template, or 'json'");
  },
  async run(ctx, _args, opts) {
    const volumes = await (await ctx.engine()).volumes.list({ filters: parseFilters(opts.filter as string[]) });
    if (opts.quiet) {
      ctx.out(volumes.map((v) => `${v.Name}\n`).join(''));
      return;
    }
    const fmt = String(opts.format ?? defaultFormat);
    if (fmt === 'json') {
      ctx.out(JSON.stringify(volumes, null, 2));
      return;
    }
    ctx.out(formatRows(fmt, volumes, { headers, defaultTable: defaultFormat }));
  },
};
