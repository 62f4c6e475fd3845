import { terminalResizes } from '../terminal-resizes.js';
import type { CommandModule } from '../command-module.js';
import { addCreateFlags, createOptions } from '../output/run-flags.js';
import { proxySignals } from '../output/signal-proxy.js';

export const command: CommandModule = {
  usage: '[OPTIONS] IMAGE [COMMAND] [ARG...]',
  passThrough: true,
  examples: ['selkie run --rm localhost/busybox echo hello', 'selkie run -d --name web localhost/busybox httpd -f -p 8080'],
  configure(cmd) {
    addCreateFlags(cmd);
    cmd
      .option('-d, --detach', 'run the container in the background and print its ID')
      .option('--no-sig-proxy', 'do not pass signals the CLI receives on to the container');
  },
  async run(ctx, args, opts) {
    const engine = await ctx.engine();
    const created = await engine.containers.create(createOptions(args, opts, ctx.globals.runtime));
    for (const w of created.warnings) ctx.err(`WARNING: ${w}`);
    // A container that cannot start (no such command, ...) is not left behind by --rm.
    const removeOnFailure = async (e: unknown): Promise<never> => {
      if (opts.rm) await engine.containers.cleanup(created.id, { remove: true }).catch(() => {});
      throw e;
    };
    if (opts.detach) {
      await engine.containers.start(created.id).catch(removeOnFailure);
      ctx.out(created.id);
      return 0;
    }
    const unproxy = opts.sigProxy === false ? () => {} : proxySignals(engine, created.id);
    let code: number;
    try {
      await engine.containers.start(created.id, {
        stdin: opts.interactive ? process.stdin : undefined,
        stdout: process.stdout,
        stderr: process.stderr,
        inheritStdio: true,
        resize: terminalResizes(),
      }).catch(removeOnFailure);
      code = await engine.containers.wait(created.id);
    } finally {
      unproxy();
    }
    if (opts.rm) await engine.containers.cleanup(created.id, { remove: true });
    return code;
  },
};
