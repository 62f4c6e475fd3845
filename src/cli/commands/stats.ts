import type { CommandModule } from '../command-module.js';
import type { ContainerStats } from '../../engine/containers/container-stats.js';
import { formatRows } from '../format/output.js';
import { humanSize } from '../output/human.js';

const defaultFormat = 'table {{.ID}}\t{{.Name}}\t{{.CPUPerc}}\t{{.MemUsage}}\t{{.MemPerc}}\t{{.NetIO}}\t{{.BlockIO}}\t{{.PIDs}}';
const headers = { ID: 'CONTAINER ID', Container: 'CONTAINER', Name: 'NAME', CPUPerc: 'CPU %', MemUsage: 'MEM USAGE / LIMIT', MemPerc: 'MEM %', NetIO: 'NET I/O', BlockIO: 'BLOCK I/O', PIDs: 'PIDS' };

/** go-units BytesSize: binary units with 4 significant digits at most, "1.5MiB". */
function bytesSize(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${Number(v.toPrecision(4))}${units[i]}`;
}

function row(s: ContainerStats, trunc: boolean) {
  return {
    ID: trunc ? s.ID.slice(0, 12) : s.ID,
    Container: trunc ? s.ID.slice(0, 12) : s.ID,
    Name: s.Name,
    CPUPerc: `${s.CPUPerc.toFixed(2)}%`,
    MemUsage: `${bytesSize(s.MemUsage)} / ${bytesSize(s.MemLimit)}`,
    MemPerc: `${s.MemPerc.toFixed(2)}%`,
    NetIO: `${humanSize(s.NetInput)} / ${humanSize(s.NetOutput)}`,
    BlockIO: `${humanSize(s.BlockInput)} / ${humanSize(s.BlockOutput)}`,
    PIDs: String(s.PIDs),
  };
}

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
    const print = async (clear: boolean) => {
      const stats = await engine.containers.stats(args);
      const out = opts.format === 'json' ? JSON.stringify(stats, null, 4) : formatRows(String(opts.format ?? defaultFormat), stats.map((s) => row(s, trunc)), { headers, defaultTable: defaultFormat });
      process.stdout.write(`${clear ? '\x1b[2J\x1b[H' : ''}${out}${out.endsWith('\n') ? '' : '\n'}`);
    };
    if (opts.stream === false) {
      await print(false);
      return;
    }
    // Streaming: a new sample about every second until interrupted.
    for (;;) {
      await print(process.stdout.isTTY === true);
      await new Promise((r) => setTimeout(r, 500));
    }
  },
};
