import fs from 'node:fs';
import type { Readable } from 'node:stream';
import { SelkieError } from '../../engine/errors.js';
import type { CommandModule } from '../command-module.js';
import { collect } from '../command-module.js';

export const command: CommandModule = {
  usage: '[OPTIONS] file|URL|- [REPOSITORY[:TAG]]',
  description: 'Import the contents from a tarball (plain or gzip) to create a filesystem image',
  examples: ['tar -C rootfs -c . | selkie import - localhost/mybase:latest', "selkie import --change 'CMD [\"sh\"]' rootfs.tar.gz mybase"],
  configure(cmd) {
    cmd
      .argument('<source>')
      .argument('[reference]')
      .option('-c, --change <instruction>', 'apply a Dockerfile instruction to the image (CMD, ENTRYPOINT, ENV, ...)', collect, [])
      .option('-m, --message <message>', 'commit message for the imported image')
      .option('--arch <arch>', 'architecture of the image (default: the host)')
      .option('--os <os>', 'operating system of the image (default: linux)')
      .option('-q, --quiet', 'suppress output');
  },
  async run(ctx, args, opts) {
    const [source, reference] = args as [string, string | undefined];
    const input = await openSource(source);
    const id = await (await ctx.engine()).images.import(input, {
      reference,
      changes: opts.change as string[],
      message: opts.message as string | undefined,
      architecture: opts.arch as string | undefined,
      os: opts.os as string | undefined,
    });
    ctx.out(`sha256:${id}`);
  },
};

async function openSource(source: string): Promise<Readable> {
  if (source === '-') return process.stdin;
  if (/^https?:\/\//.test(source)) {
    const res = await fetch(source).catch((e: unknown) => {
      throw new SelkieError('registry', `cannot download ${source}: ${(e as Error).message}`);
    });
    if (!res.ok || !res.body) throw new SelkieError('registry', `cannot download ${source}: HTTP ${res.status}`);
    const { Readable } = await import('node:stream');
    return Readable.fromWeb(res.body as import('node:stream/web').ReadableStream);
  }
  try {
    const fd = fs.openSync(source, 'r');
    return fs.createReadStream('', { fd });
  } catch (e) {
    throw new SelkieError('invalid', `cannot read ${source}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
}
