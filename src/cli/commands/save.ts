import fs from 'node:fs';
import path from 'node:path';
import { SelkieError, usageError } from '../../engine/errors.js';
import type { ImageArchiveFormat } from '../../engine/types/image-ops.js';
import type { CommandModule } from '../command-module.js';

const FORMATS: readonly ImageArchiveFormat[] = ['docker-archive', 'oci-archive'];

export const command: CommandModule = {
  usage: '[OPTIONS] IMAGE [IMAGE...]',
  description: 'Save one or more images to a tar archive (streamed to STDOUT by default)',
  examples: ['selkie save -o busybox.tar localhost/busybox', 'selkie save --format oci-archive localhost/busybox > busybox-oci.tar'],
  configure(cmd) {
    cmd
      .argument('<image...>')
      .option('-o, --output <file>', 'write to a file, instead of STDOUT')
      .option('--format <format>', 'archive format: docker-archive or oci-archive', 'docker-archive')
      .option('-q, --quiet', 'suppress the output (accepted for Podman compatibility)');
  },
  async run(ctx, args, opts) {
    const format = String(opts.format) as ImageArchiveFormat;
    if (!FORMATS.includes(format)) throw usageError(`unknown format ${JSON.stringify(format)}`, 'use --format docker-archive or --format oci-archive');
    const output = opts.output as string | undefined;
    const engine = await ctx.engine();
    if (output === undefined || output === '-') {
      if (process.stdout.isTTY) {
        throw new SelkieError('usage', 'cowardly refusing to save to a terminal', { hint: 'use the -o flag or redirect' });
      }
      await engine.images.save(args, process.stdout, { format });
      return;
    }
    // Written next to the target and renamed into place: a failed save leaves no partial file.
    const tmp = path.join(path.dirname(path.resolve(output)), `.${path.basename(output)}.${process.pid}.tmp`);
    let out: fs.WriteStream;
    try {
      out = fs.createWriteStream(tmp, { flags: 'wx', mode: 0o644 });
      await new Promise<void>((resolve, reject) => out.once('open', () => resolve()).once('error', reject));
    } catch (e) {
      throw new SelkieError('invalid', `cannot write ${output}: ${(e as Error).message}`);
    }
    try {
      await engine.images.save(args, out, { format });
      fs.renameSync(tmp, output);
    } catch (e) {
      out.destroy();
      fs.rmSync(tmp, { force: true });
      throw e;
    }
  },
};
