import fs from 'node:fs';
import type { CommandModule } from '../command-module.js';
import { parseBoolFlag } from '../../engine/registry/bool-flag.js';
import type { RegistryAccessOptions } from '../../engine/registry/pull-types.js';
import { transferProgress } from '../output/transfer-progress.js';

function access(opts: Record<string, unknown>, side: 'src' | 'dest'): RegistryAccessOptions {
  return {
    tlsVerify: opts[`${side}TlsVerify`] as boolean | undefined,
    certDir: opts[`${side}CertDir`] as string | undefined,
    authFile: opts.authfile as string | undefined,
    creds: opts[`${side}Creds`] as string | undefined,
  };
}

export const command: CommandModule = {
  usage: '[OPTIONS] SOURCE DESTINATION',
  description: 'Copy an image between registries (docker://HOST/REPO:TAG) and OCI layout directories (oci:PATH:TAG) without storing it locally',
  examples: ['selkie image copy docker://quay.io/podman/hello:latest docker://localhost:5000/hello:latest', 'selkie image copy docker://localhost:5000/app:1 oci:/tmp/app:1'],
  configure(cmd) {
    cmd
      .argument('<source>')
      .argument('<destination>')
      .option('-q, --quiet', 'do not print progress')
      .option('--platform <os/arch[/variant]>', 'which image of a multi-platform source (default: the host)')
      .option('--digestfile <file>', 'write the digest of the copied manifest to this file')
      .option('--src-tls-verify [bool]', 'require HTTPS and verify certificates of the source registry', parseBoolFlag('src-tls-verify'))
      .option('--dest-tls-verify [bool]', 'require HTTPS and verify certificates of the destination registry', parseBoolFlag('dest-tls-verify'))
      .option('--src-cert-dir <dir>', 'certificates for the source registry')
      .option('--dest-cert-dir <dir>', 'certificates for the destination registry')
      .option('--src-creds <user:password>', 'credentials for the source registry')
      .option('--dest-creds <user:password>', 'credentials for the destination registry')
      .option('--authfile <file>', 'path of the authentication file');
  },
  async run(ctx, args, opts) {
    const engine = await ctx.engine();
    const progress = opts.quiet ? undefined : await transferProgress(process.stderr);
    let digest: string;
    try {
      digest = await engine.images.copy(args[0]!, args[1]!, {
        src: access(opts, 'src'),
        dest: access(opts, 'dest'),
        ...(opts.platform ? { platform: String(opts.platform) } : {}),
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
