import type { CommandModule } from '../command-module.js';
import { printStats, statsHeaders, statsRow } from '../output/stats-row.js';

const defaultFormat = 'table {{.ID}}\t{{.Name}}\t{{.CPUPerc}}\t{{.MemUsage}}\t{{.MemPerc}}\t{{.NetIO}}\t{{.BlockIO}}\t{{.PIDs}}';
export const command: CommandModule = {
  usage: '[OPTIONS] [CONTAINER...]',
  description: 'Display a live stream of container resource usage statistics',
  configure(cmd) {
    cmd
      .argument('[container...]')
      .option('--no-stream', 'print one sample and exit')
      .option('-a, --all', 'show all containers (only running ones have statistics)')
      .option('--no-trunc', "don't truncate output")
      .option('--format <template>', "format the output with a Go template, or 'json'");
  },
  async run(ctx, args, opts) {
    const engine = await ctx.engine();
    const trunc = opts.trunc !== false;
    await printStats(() => engine.containers.stats(args), (s) => statsRow(s, trunc), {
      format: opts.format as string | undefined,
      stream: opts.stream !== false,
      defaultFormat,
      headers: statsHeaders,
    });
  },
};
