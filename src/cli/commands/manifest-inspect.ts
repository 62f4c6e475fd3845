import type { CommandModule } from '../command-module.js';
import { addRegistryFlags, registryFlagValues } from '../output/registry-flags.js';

export const command: CommandModule = {
  usage: '[OPTIONS] IMAGE',
  description: "Display the manifest list or image index of an image in a registry (or its manifest when it has no list), as JSON",
  examples: ['selkie manifest inspect quay.io/podman/hello', 'selkie manifest inspect --tls-verify=false localhost:5000/app:1.0'],
  configure(cmd) {
    cmd.argument('<image>');
    addRegistryFlags(cmd);
  },
  async run(ctx, args, opts) {
    const engine = await ctx.engine();
    const m = await engine.images.manifestInspect(args[0]!, registryFlagValues(opts));
    ctx.out(JSON.stringify(m.Manifest, null, 4));
  },
};
