/** One row of `stats` (and `pod stats`) with Docker's columns and units. */
import type { ContainerStats } from '../../engine/containers/container-stats.js';
import { formatRows } from '../format/output.js';
import { goUnitsSize } from '../../engine/util/human-size.js';
import { humanSize } from './human.js';

export const statsHeaders = { ID: 'CONTAINER ID', Container: 'CONTAINER', Name: 'NAME', CPUPerc: 'CPU %', MemUsage: 'MEM USAGE / LIMIT', MemPerc: 'MEM %', NetIO: 'NET I/O', BlockIO: 'BLOCK I/O', PIDs: 'PIDS' };

/** go-units BytesSize: binary units with 4 significant digits at most, "1.5MiB". */
const bytesSize = (n: number): string => goUnitsSize(n, 4, 1024);

export function statsRow(s: ContainerStats, trunc: boolean) {
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

/**
 * Prints samples of `sample()` as `--format` says (a table by default, or JSON): one with
 * `stream: false`, else a new one about every second, redrawn in place on a terminal, until
 * interrupted.
 */
export async function printStats<T>(
  sample: () => Promise<T[]>,
  render: (s: T) => Record<string, unknown>,
  opts: { format?: string; stream: boolean; defaultFormat: string; headers: Record<string, string> },
): Promise<void> {
  const print = async (clear: boolean) => {
    const stats = await sample();
    const out = opts.format === 'json' ? JSON.stringify(stats, null, 4) : formatRows(opts.format ?? opts.defaultFormat, stats.map(render), { headers: opts.headers, defaultTable: opts.defaultFormat });
    process.stdout.write(`${clear ? '\x1b[2J\x1b[H' : ''}${out}${out.endsWith('\n') ? '' : '\n'}`);
  };
  if (!opts.stream) return print(false);
  for (;;) {
    await print(process.stdout.isTTY === true);
    await new Promise((r) => setTimeout(r, 1000));
  }
}
