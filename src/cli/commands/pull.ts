import type { CommandModule } from '../command-module.js';
import { addRegistryFlags, registryFlagValues } from '../output/registry-flags.js';
import { transferProgress } from '../output/transfer-progress.js';

export const command: CommandModule = {
  usage: '[OPTIONS] IMAGE',
  description: 'Pull an image from a registry into local storage',
  examples: ['selkie pull busybox', 'selkie pull --platform linux/arm64 quay.io/podman/hello', 'selkie pull --tls-verify=false localhost:5000/app:1.0'],
  configure(cmd) {
    cmd
      .argument('<image>')
      .option('-q, --quiet', 'print only the image ID')
      .option('--platform <os/arch[/variant]>', 'pull the image for this platform (default: the host)')
      .option('--arch <arch>', 'pull the image for this architecture')
      .option('--os <os>', 'pull the image for this operating system')
      .option('--variant <variant>', 'pull the image for this architecture variant');
    addRegistryFlags(cmd);
  },
  async run(ctx, args, opts) {
    const engine = await ctx.engine();
    // Progress on stderr (bars on a terminal, podman's plain lines elsewhere); -q: only the ID.
    const progress = opts.quiet ? undefined : await transferProgress(process.stderr);
    let id: string;
    try {
      id = await engine.images.pull(args[0]!, {
        platform: opts.platform as string | undefined,
        arch: opts.arch as string | undefined,
        os: opts.os as string | undefined,
        variant: opts.variant as string | undefined,
        ...registryFlagValues(opts),
        quiet: opts.quiet === true,
        ...(progress ? { onProgress: (p) => progress.onProgress(p) } : {}),
      });
    } catch (e) {
      progress?.abort();
      throw e;
    }
    progress?.finish();
    ctx.out(id);
  },
};
