import type { CommandModule } from '../command-module.js';
import { describeError, isSelkieError, usageError } from '../../engine/errors.js';

export const command: CommandModule = {
  usage: '[OPTIONS] IMAGE [IMAGE...]',
  configure(cmd) {
    cmd
      .argument('[image...]')
      .option('-a, --all', 'remove all images (every name of each; those containers use are refused)')
      .option('-f, --force', 'force removal of the image');
  },
  async run(ctx, args, opts) {
    if (opts.all && args.length) throw usageError('when using --all, you may not pass any image names or IDs');
    if (!opts.all && !args.length) throw usageError("missing required argument 'image'", 'give one or more images, or --all');
    const engine = await ctx.engine();
    // --all: each image by its ID, all of its names with it (as a forced removal by ID does).
    const names = opts.all ? (await engine.images.list({ all: true })).map((i) => i.Id) : args;
    let code = 0;
    for (const name of names) {
      try {
        const r = await engine.images.remove(name, { force: Boolean(opts.force || opts.all) });
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
