import { terminalResizes } from '../terminal-resizes.js';
import type { CommandModule } from '../command-module.js';
import { proxySignals } from '../output/signal-proxy.js';

export const command: CommandModule = {
  usage: '[OPTIONS] CONTAINER',
  configure(cmd) {
    cmd
      .argument('<container>')
      .option('--no-stdin', 'do not attach STDIN')
      .option('--detach-keys <keys>', 'key sequence for detaching (default ctrl-p,ctrl-q; "" disables)')
      .option('--no-sig-proxy', 'do not pass signals the CLI receives on to the container');
  },
  async run(ctx, args, opts) {
    const engine = await ctx.engine();
    const name = args[0]!;
    const unproxy = opts.sigProxy === false ? () => {} : proxySignals(engine, name);
    try {
      const r = await engine.containers.attach(
        name,
        { stdin: opts.stdin === false ? undefined : process.stdin, stdout: process.stdout, stderr: process.stderr, inheritStdio: true, resize: terminalResizes() },
        { noStdin: opts.stdin === false, detachKeys: opts.detachKeys as string | undefined },
      );
      if (r.detached) return 0;
      return await engine.containers.wait(name);
    } finally {
      unproxy();
    }
  },
};
