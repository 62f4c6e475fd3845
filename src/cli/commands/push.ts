import fs from 'node:fs';
import { usageError } from '../../engine/errors.js';
import type { CommandModule } from '../command-module.js';
import { addRegistryFlags, registryFlagValues } from '../output/registry-flags.js';
import { transferProgress } from '../output/transfer-progress.js';

const FORMATS = ['oci', 'v2s2'] as const;

export const command: CommandModule = {
  usage: '[OPTIONS] IMAGE [DESTINATION]',
  description: 'Push an image from local storage to a registry',
  examples: ['selkie push localhost:5000/app:1.0', 'selkie push --tls-verify=false busybox 127.0.0.1:5000/busybox:latest', 'selkie push --format v2s2 app docker://registry.example.com/team/app:2'],
  configure(cmd) {
    cmd
      .argument('<image>')
      .argument('[destination]')
      .option('-q, --quiet', 'do not print progress')
      .option('-f, --format <format>', 'manifest format: oci (default) or v2s2 (Docker schema2)')
      .option('--digestfile <file>', 'write the digest of the pushed manifest to this file');
    addRegistryFlags(cmd);
  },
  async run(ctx, args, opts) {
    const format = opts.format as string | undefined;
    if (format !== undefined && !(FORMATS as readonly string[]).includes(format)) throw usageError(`unknown manifest format ${JSON.stringify(format)}`, 'use --format oci or --format v2s2');
    const engine = await ctx.engine();
    const progress = opts.quiet ? undefined : await transferProgress(process.stderr);
    let digest: string;
    try {
      digest = await engine.images.push(args[0]!, args[1], {
        ...(format !== undefined ? { format: format as (typeof FORMATS)[number] } : {}),
        ...registryFlagValues(opts),
        ...(progress ? { onProgress: (p) => progress.onProgress(p) } : {}),
      });
    } catch (e) {
      progress?.abort();
      throw e;
    }
    progress?.finish();
    if (opts.digestfile) fs.writeFileSync(String(opts.digestfile), digest);
  },
};
