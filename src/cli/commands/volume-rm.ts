import type { CommandModule } from '../command-module.js';
import { describeError, isSelkieError, SelkieError } from '../../engine/errors.js';

export const command: CommandModule = {
  usage: '[OPTIONS] VOLUME [VOLUME...]',
  configure(cmd) {
    cmd
      .argument('[volume...]')
      .option('-a, --all', 'remove all volumes')
      .option('-f, --force', 'remove the containers that use the volume first');
  },
  async run(ctx, args, opts) {
    const engine = await ctx.engine();
    const names = opts.all ? (await engine.volumes.list()).map((v) => v.Name) : args;
    if (!names.length && !opts.all) throw new SelkieError('usage', 'volume rm requires at least one volume name', { hint: 'or use --all' });
    let code = 0;
    for (const n of names) {
      try {
        await engine.volumes.remove(n, { force: Boolean(opts.force) });
        ctx.out(`${n}\n`);
      } catch (e) {
        if (!isSelkieError(e)) throw e;
        ctx.err(`Error: ${describeError(e)}`);
        // Podman: 1 when a volume does not exist, 2 when one is in use, 125 otherwise.
        code = Math.max(code, e.kind === 'not-found' ? 1 : e.kind === 'conflict' ? 2 : 125);
      }
    }
    return code;
  },
};
