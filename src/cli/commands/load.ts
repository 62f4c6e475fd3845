import fs from 'node:fs';
import type { Readable } from 'node:stream';
import { SelkieError } from '../../engine/errors.js';
import type { CommandModule } from '../command-module.js';

export const command: CommandModule = {
  usage: '[OPTIONS]',
  description: 'Load images from a docker-archive or oci-archive tar (plain or gzip), from STDIN by default',
  configure(cmd) {
    cmd.option('-i, --input <file>', 'read from a tar archive file, instead of STDIN').option('-q, --quiet', 'suppress the load output');
  },
  async run(ctx, _args, opts) {
    const input = opts.input as string | undefined;
    let source: Readable;
    if (input === undefined || input === '-') {
      if (process.stdin.isTTY) throw new SelkieError('usage', 'requested load from stdin, but stdin is empty', { hint: 'use -i FILE or pipe an archive in' });
      source = process.stdin;
    } else {
      try {
        source = fs.createReadStream('', { fd: fs.openSync(input, 'r') });
      } catch (e) {
        throw new SelkieError('invalid', `cannot read ${input}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
      }
    }
    const report = await (await ctx.engine()).images.load(source);
    if (opts.quiet) return;
    const lines = report.names.length > 0 ? report.names.map((n) => `Loaded image: ${n}`) : report.ids.map((id) => `Loaded image ID: ${id}`);
    ctx.out(lines.join('\n'));
  },
};
