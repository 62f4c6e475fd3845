import type { CommandModule } from '../command-module.js';
import { formatOne } from '../format/output.js';

export const command: CommandModule = {
  usage: '[OPTIONS] POD',
  configure(cmd) {
    cmd.argument('<pod>').option('-f, --format <template>', "format the output with a Go template, or 'json'");
  },
  async run(ctx, args, opts) {
    const pod = await (await ctx.engine()).pods.inspect(args[0]!);
    // Podman 4 prints the one pod as a JSON object, not an array.
    ctx.out(opts.format && opts.format !== 'json' ? formatOne(String(opts.format), pod) : JSON.stringify(pod, null, 4));
  },
};
