import type { CommandModule } from '../command-module.js';
import { intArg } from '../output/run-flags.js';
import { parseTimeArg } from '../output/time-arg.js';

export const command: CommandModule = {
  usage: '[OPTIONS] CONTAINER',
  configure(cmd) {
    cmd
      .argument('<container>')
      .option('-f, --follow', 'follow log output')
      .option('-n, --tail <lines>', 'number of lines to show from the end of the logs', (v) => intArg('--tail', v))
      .option('--since <time>', 'show logs since a timestamp (e.g. 2024-01-02T13:23:37Z) or relative (e.g. 42m)')
      .option('--until <time>', 'show logs before a timestamp or relative time')
      .option('-t, --timestamps', 'show timestamps');
  },
  async run(ctx, args, opts) {
    const engine = await ctx.engine();
    const lines = engine.containers.logs(args[0]!, {
      follow: Boolean(opts.follow),
      tail: opts.tail as number | undefined,
      since: opts.since ? parseTimeArg(String(opts.since), '--since') : undefined,
      until: opts.until ? parseTimeArg(String(opts.until), '--until') : undefined,
    });
    for await (const l of lines) {
      const text = `${opts.timestamps ? `${l.time} ` : ''}${l.text}${l.partial ? '' : '\n'}`;
      (l.stream === 'stderr' ? process.stderr : process.stdout).write(text);
    }
  },
};
