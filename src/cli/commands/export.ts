import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { CommandModule } from '../command-module.js';
import { usageError } from '../../engine/errors.js';

export const command: CommandModule = {
  usage: '[OPTIONS] CONTAINER',
  examples: ['selkie export -o web.tar web', 'selkie export web | tar -t'],
  configure(cmd) {
    cmd.argument('<container>').option('-o, --output <file>', 'write to a file instead of STDOUT');
  },
  async run(ctx, args, opts) {
    const file = opts.output as string | undefined;
    if (!file && process.stdout.isTTY) throw usageError('refusing to write a tar archive to a terminal', 'use -o FILE or redirect the output');
    const tar = await (await ctx.engine()).containers.export(args[0]!);
    if (file) {
      const tmp = `${file}.tmp-${process.pid}`;
      try {
        await pipeline(tar, fs.createWriteStream(tmp));
        fs.renameSync(tmp, file);
      } catch (e) {
        fs.rmSync(tmp, { force: true });
        throw usageError(`cannot export container ${args[0]} to ${file}: ${(e as Error).message}`);
      }
    } else {
      await pipeline(tar, process.stdout);
    }
  },
};
