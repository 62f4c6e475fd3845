import type { CommandModule } from '../command-module.js';
import { printStats, statsHeaders, statsRow } from '../output/stats-row.js';

const defaultFormat = 'table {{.Pod}}\t{{.CID}}\t{{.Name}}\t{{.CPUPerc}}\t{{.MemUsage}}\t{{.MemPerc}}\t{{.NetIO}}\t{{.BlockIO}}\t{{.PIDs}}';
const headers = { ...statsHeaders, Pod: 'POD', CID: 'CID' };

export const command: CommandModule = {
  usage: '[OPTIONS] [POD...]',
  description: 'Display resource usage statistics of the containers of pods',
  configure(cmd) {
    cmd
      .argument('[pod...]')
      .option('--no-stream', 'print one sample and exit')
      .option('-a, --all', 'show all pods (the default when none is named)')
      .option('--no-trunc', "don't truncate output")
      .option('--format <template>', "format the output with a Go template, or 'json'");
  },
  async run(ctx, args, opts) {
    const engine = await ctx.engine();
    const trunc = opts.trunc !== false;
    const id = (v: string) => (trunc ? v.slice(0, 12) : v);
    await printStats(() => engine.pods.stats(args), (s) => ({ ...statsRow(s, trunc), Pod: id(s.Pod), CID: id(s.ID) }), {
      format: opts.format as string | undefined,
      stream: opts.stream !== false,
      defaultFormat,
      headers,
    });
  },
};
