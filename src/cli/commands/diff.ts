import type { CommandModule } from '../command-module.js';
import { formatOne } from '../format/output.js';

const kinds = ['C', 'A', 'D'] as const;

export const command: CommandModule = {
  usage: '[OPTIONS] CONTAINER',
  description: "Inspect changes to files or directories on a container's filesystem: A added, C changed, D deleted",
  configure(cmd) {
    cmd.argument('<container>').option('--format <format>', "'json', or a Go template over .Path and .Kind");
  },
  async run(ctx, args, opts) {
    const changes = await (await ctx.engine()).containers.diff(args[0]!);
    const format = opts.format as string | undefined;
    if (format === 'json') {
      // Podman's shape: only the kinds that occur.
      const out: Record<string, string[]> = {};
      for (const [key, kind] of [['changed', 0], ['added', 1], ['deleted', 2]] as const) {
        const paths = changes.filter((c) => c.Kind === kind).map((c) => c.Path);
        if (paths.length) out[key] = paths;
      }
      ctx.out(JSON.stringify(out, null, 5));
      return;
    }
    if (format) {
      ctx.out(changes.map((c) => formatOne(format, { Path: c.Path, Kind: kinds[c.Kind] })).join(''));
      return;
    }
    ctx.out(changes.map((c) => `${kinds[c.Kind]} ${c.Path}\n`).join(''));
  },
};
