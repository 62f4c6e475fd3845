import type { CommandModule } from '../command-module.js';
import { collect } from '../command-module.js';
import { usageError } from '../../engine/errors.js';

export const command: CommandModule = {
  usage: '[OPTIONS] CONTAINER [REPOSITORY[:TAG]]',
  description: "Create a new image from a container's changes (a new layer on top of its image, with the container's settings)",
  examples: ['selkie commit web localhost/web:v2', "selkie commit -c 'CMD [\"nginx\",\"-g\",\"daemon off;\"]' -m 'tuned' web web:tuned"],
  configure(cmd) {
    cmd
      .argument('<container>')
      .argument('[image]')
      .option('-a, --author <author>', 'author (e.g. "Jane Doe <jane@example.com>")')
      .option('-m, --message <message>', 'commit message')
      .option('-c, --change <instruction>', 'apply a Dockerfile instruction to the image (CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, USER, WORKDIR, VOLUME, STOPSIGNAL, ONBUILD)', collect, [])
      .option('-p, --pause [bool]', 'pause the container while committing (default true)')
      .option('-f, --format <format>', 'image format: oci or docker', 'oci')
      .option('-q, --quiet', 'print only the image ID');
  },
  async run(ctx, args, opts) {
    const format = String(opts.format);
    if (format !== 'oci' && format !== 'docker') throw usageError(`invalid --format "${format}"`, 'use oci or docker');
    const pause = opts.pause === undefined || opts.pause === true || opts.pause === 'true';
    if (opts.pause !== undefined && opts.pause !== true && opts.pause !== 'true' && opts.pause !== 'false') throw usageError(`invalid --pause "${String(opts.pause)}"`, 'use --pause=true or --pause=false');
    const id = await (await ctx.engine()).containers.commit(args[0]!, {
      reference: args[1],
      author: opts.author as string | undefined,
      message: opts.message as string | undefined,
      changes: opts.change as string[],
      pause,
      format,
    });
    ctx.out(opts.quiet ? id : `sha256:${id}`);
  },
};
