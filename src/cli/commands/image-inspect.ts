import type { CommandModule } from '../command-module.js';
import { printInspect } from '../output/inspect-output.js';
import { formatOne } from '../format/output.js';
import { parseBoolFlag } from '../../engine/registry/bool-flag.js';

export const command: CommandModule = {
  usage: '[OPTIONS] IMAGE [IMAGE...]',
  configure(cmd) {
    cmd
      .argument('<image...>')
      .option('-f, --format <template>', "format the output with a Go template, or 'json'")
      .option('--remote', 'inspect the image in its registry (fetches only the manifest and config; stores nothing)')
      .option('--tls-verify [bool]', 'with --remote: require HTTPS and verify certificates', parseBoolFlag('tls-verify'))
      .option('--cert-dir <dir>', 'with --remote: use the certificates in this directory')
      .option('--authfile <file>', 'with --remote: path of the authentication file')
      .option('--creds <user:password>', 'with --remote: credentials for the registry')
      .option('--platform <os/arch[/variant]>', 'with --remote: the platform to inspect in an index');
  },
  async run(ctx, args, opts) {
    const engine = await ctx.engine();
    if (opts.remote) {
      const o = {
        tlsVerify: opts.tlsVerify as boolean | undefined,
        certDir: opts.certDir as string | undefined,
        authFile: opts.authfile as string | undefined,
        creds: opts.creds as string | undefined,
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
