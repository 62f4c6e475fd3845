import type { CommandModule } from '../command-module.js';
import { describeError, isSelkieError } from '../../engine/errors.js';

export const command: CommandModule = {
  usage: '[OPTIONS] IMAGE [IMAGE...]',
  configure(cmd) {
    cmd.argument('<image...>').option('-f, --force', 'force removal of the image');
  },
  async run(ctx, args, opts) {
    const engine = await ctx.engine();
    let code = 0;
    for (const name of args) {
      try {
        const r = await engine.images.remove(name, { force: Boolean(opts.force) });
        for (const u of r.untagged) ctx.out(`Untagged: ${u}`);
        for (const d of r.deleted) ctx.out(`Deleted: ${d}`);
      } catch (e) {
        if (!isSelkieError(e)) throw e;
        ctx.err(`Error: ${describeError(e)}`);
        // Podman's exit codes for rmi: 1 an image was not found, 2 an image is in use, 125 otherwise.
        code = Math.max(code, e.kind === 'not-found' ? 1 : e.kind === 'conflict' ? 2 : 125);
      }
    }
    return code;
  },
};
