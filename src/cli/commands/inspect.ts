import type { CommandModule } from '../command-module.js';
import { isSelkieError, notFound } from '../../engine/errors.js';
import { printInspect } from '../output/inspect-output.js';

export const command: CommandModule = {
  usage: '[OPTIONS] NAME|ID [NAME|ID...]',
  configure(cmd) {
    cmd
      .argument('<object...>')
      .option('-f, --format <template>', "format the output with a Go template, or 'json'")
      .option('--type <type>', 'only inspect objects of this type (container, image)');
  },
  async run(ctx, args, opts) {
    const engine = await ctx.engine();
    const type = opts.type as string | undefined;
    const get = async (name: string): Promise<unknown> => {
      // Containers first, then images, as Docker does.
      if (type !== 'image') {
        try {
          return await engine.containers.inspect(name);
        } catch (e) {
          if (!isSelkieError(e) || e.kind !== 'not-found' || type === 'container') throw e;
        }
      }
      try {
        return await engine.images.inspect(name);
      } catch (e) {
        if (isSelkieError(e) && e.kind === 'not-found') throw notFound('object', name, 'no container or image has this name or ID');
        throw e;
      }
    };
    return printInspect(ctx, args, get, opts.format as string | undefined);
  },
};
