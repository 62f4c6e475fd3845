import { terminalResizes } from '../terminal-resizes.js';
import type { CommandModule } from '../command-module.js';
import { forEachContainer } from '../output/each-container.js';

export const command: CommandModule = {
  usage: '[OPTIONS] CONTAINER [CONTAINER...]',
  configure(cmd) {
    cmd
      .argument('<container...>')
      .option('-a, --attach', "attach the container's output and return its exit code")
      .option('-i, --interactive', "attach the container's STDIN");
  },
  async run(ctx, args, opts) {
    const engine = await ctx.engine();
    if (opts.attach) {
      if (args.length > 1) throw new (await import('../../engine/errors.js')).SelkieError('usage', 'you cannot start and attach multiple containers at once');
      await engine.containers.start(args[0]!, { stdin: opts.interactive ? process.stdin : undefined, stdout: process.stdout, stderr: process.stderr, inheritStdio: true, resize: terminalResizes() });
      return engine.containers.wait(args[0]!);
    }
    return forEachContainer(ctx, args, async (n) => {
      await engine.containers.start(n);
      return n;
    });
  },
};
