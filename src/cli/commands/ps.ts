import type { CommandModule } from '../command-module.js';
import { collect } from '../command-module.js';
import type { ContainerInfo } from '../../engine/types/container.js';
import { formatRows } from '../format/output.js';
import { ago, goTime } from '../output/human.js';
import { parseFilters } from '../output/filters.js';
import { intArg } from '../output/run-flags.js';

const defaultFormat = 'table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.CreatedSince}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}';
const headers = { ID: 'CONTAINER ID', Image: 'IMAGE', Command: 'COMMAND', CreatedSince: 'CREATED', CreatedAt: 'CREATED AT', Status: 'STATUS', Ports: 'PORTS', Names: 'NAMES', State: 'STATE', Labels: 'LABELS' };

export const command: CommandModule = {
  usage: '[OPTIONS]',
  configure(cmd) {
    cmd
      .option('-a, --all', 'show all containers (default shows just running)')
      .option('-q, --quiet', 'only display container IDs')
      .option('-n, --last <n>', 'show n last created containers (includes all states)', (v) => intArg('--last', v))
      .option('-l, --latest', 'show the latest created container (includes all states)')
      .option('--no-trunc', "don't truncate output")
      .option('-f, --filter <filter>', 'filter output based on conditions provided', collect, [])
      .option('--format <template>', "format the output with a Go template, or 'json'");
  },
  async run(ctx, _args, opts) {
    const last = opts.latest ? 1 : (opts.last as number | undefined);
    const list = await (await ctx.engine()).containers.list({
      all: Boolean(opts.all) || last !== undefined,
      last,
      filters: parseFilters(opts.filter as string[]),
    });
    const trunc = opts.trunc !== false;
    if (opts.quiet) {
      ctx.out(list.map((c) => `${trunc ? c.Id.slice(0, 12) : c.Id}\n`).join(''));
      return;
    }
    if (opts.format === 'json') {
      ctx.out(JSON.stringify(list, null, 4));
      return;
    }
    const rows = list.map((c) => row(c, trunc));
    ctx.out(formatRows(String(opts.format ?? defaultFormat), rows, { headers, defaultTable: defaultFormat }));
  },
};

function row(c: ContainerInfo, trunc: boolean) {
  const cmd = c.Command.join(' ');
  return {
    ID: trunc ? c.Id.slice(0, 12) : c.Id,
    Image: c.Image,
    Command: `"${trunc && cmd.length > 20 ? `${cmd.slice(0, 19)}…` : cmd}"`,
    CreatedSince: ago(c.Created),
    CreatedAt: goTime(c.Created),
    RunningFor: ago(c.Created),
    Status: c.Status,
    State: c.State,
    Ports: '',
    Names: c.Names.join(','),
    Labels: Object.entries(c.Labels).map(([k, v]) => `${k}=${v}`).join(','),
    Size: '',
    Mounts: '',
    Networks: '',
  };
}
