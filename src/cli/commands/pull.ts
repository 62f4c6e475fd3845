import type { CommandModule } from '../command-module.js';
import { parseBoolFlag } from '../../engine/registry/bool-flag.js';
import { progressPrinter } from '../../engine/registry/pull-progress.js';

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
      .option('--variant <variant>', 'pull the image for this architecture variant')
      .option('--tls-verify [bool]', 'require HTTPS and verify certificates (default: true unless the registry is insecure)', parseBoolFlag('tls-verify'))
      .option('--cert-dir <dir>', 'use the certificates in this directory (*.crt, *.cert, *.key)')
      .option('--authfile <file>', 'path of the authentication file')
      .option('--creds <user:password>', 'credentials for the registry');
  },
  async run(ctx, args, opts) {
    const engine = await ctx.engine();
    const tty = process.stderr.isTTY === true && !opts.quiet;
    const id = await engine.images.pull(args[0]!, {
      platform: opts.platform as string | undefined,
      arch: opts.arch as string | undefined,
      os: opts.os as string | undefined,
      variant: opts.variant as string | undefined,
      tlsVerify: opts.tlsVerify as boolean | undefined,
      certDir: opts.certDir as string | undefined,
      authFile: opts.authfile as string | undefined,
      creds: opts.creds as string | undefined,
      quiet: !tty,
      ...(tty ? { onProgress: progressPrinter(process.stderr) } : {}),
    });
    ctx.out(id);
  },
};
