import type { CommandModule } from '../command-module.js';
import { printInspect } from '../output/inspect-output.js';
import { formatOne } from '../format/output.js';
import { addRegistryFlags, registryFlagValues } from '../output/registry-flags.js';

export const command: CommandModule = {
  usage: '[OPTIONS] IMAGE [IMAGE...]',
  configure(cmd) {
    cmd
      .argument('<image...>')
      .option('-f, --format <template>', "format the output with a Go template, or 'json'")
      .option('--remote', 'inspect the image in its registry (fetches only the manifest and config; stores nothing)')
      .option('--platform <os/arch[/variant]>', 'with --remote: the platform to inspect in an index');
    addRegistryFlags(cmd, 'with --remote: ');
  },
  async run(ctx, args, opts) {
    const engine = await ctx.engine();
    if (opts.remote) {
      const o = {
        ...registryFlagValues(opts),
        platform: opts.platform as string | undefined,
      };
      const format = opts.format as string | undefined;
      for (const a of args) {
        const info = await engine.images.inspectRemote(a, o);
        ctx.out(format && format !== 'json' ? formatOne(format, info) : JSON.stringify(info, null, 4));
      }
      return 0;
    }
    return printInspect(ctx, args, (a) => engine.images.inspect(a), opts.format as string | undefined);
  },
};
