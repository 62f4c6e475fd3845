import { SelkieError } from '../../engine/errors.js';
import { parseBoolFlag } from '../../engine/registry/bool-flag.js';
import type { CommandModule } from '../command-module.js';

export const command: CommandModule = {
  usage: '[OPTIONS] REGISTRY',
  description: 'Log in to a registry: check the credentials with it, then store them in the auth file',
  examples: ['selkie login -u alice quay.io', 'echo "$TOKEN" | selkie login -u alice --password-stdin registry.example.com'],
  configure(cmd) {
    cmd
      .argument('<registry>')
      .option('-u, --username <user>', 'user name')
      .option('-p, --password <password>', 'password')
      .option('--password-stdin', 'read the password from stdin')
      .option('--authfile <file>', 'path of the authentication file')
      .option('--tls-verify [bool]', 'require HTTPS and verify certificates', parseBoolFlag('tls-verify'))
      .option('--cert-dir <dir>', 'use the certificates in this directory');
  },
  async run(ctx, args, opts) {
    const username = opts.username as string | undefined;
    let password = opts.password as string | undefined;
    if (opts.passwordStdin) {
      if (password !== undefined) throw new SelkieError('usage', '--password and --password-stdin are mutually exclusive');
      const chunks: Buffer[] = [];
      for await (const c of process.stdin) chunks.push(c as Buffer);
      password = Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
    }
    if (!username || password === undefined) {
      throw new SelkieError('usage', 'a username and password are required', { hint: 'pass -u USER and -p PASSWORD or --password-stdin' });
    }
    const engine = await ctx.engine();
    await engine.images.login(args[0]!, {
      username,
      password,
      authFile: opts.authfile as string | undefined,
      tlsVerify: opts.tlsVerify as boolean | undefined,
      certDir: opts.certDir as string | undefined,
    });
    ctx.out('Login Succeeded!');
  },
};
