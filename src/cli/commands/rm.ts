import fs from 'node:fs';
import type { CommandModule } from '../command-module.js';
import { forEachContainer } from '../output/each-container.js';
import { collect } from '../command-module.js';
import { idsFromCidFiles, ignoringMissing } from '../output/cidfile-args.js';
import { intArg } from '../output/run-flags.js';

export const command: CommandModule = {
  usage: '[OPTIONS] CONTAINER [CONTAINER...]',
  configure(cmd) {
    cmd
      .argument('[container...]')
      .option('-f, --force', 'force the removal of a running container (uses SIGKILL)')
      .option('-a, --all', 'remove all containers')
      .option('-v, --volumes', 'remove anonymous volumes associated with the container')
      .option('-t, --time <seconds>', 'with --force: seconds to wait for the container to stop before killing it', (v) => intArg('--time', v))
      .option('--cidfile <file>', 'read the container ID from this file (repeatable); the file is removed with the container', collect, [])
      .option('-i, --ignore', 'ignore containers (and --cidfile files) that do not exist');
  },
  async run(ctx, args, opts) {
    const engine = await ctx.engine();
    const ignore = Boolean(opts.ignore);
    const cidFiles = opts.cidfile as string[];
    const fromFiles = idsFromCidFiles(cidFiles, ignore);
    const names = opts.all ? (await engine.containers.list({ all: true })).map((c) => c.Id) : [...args, ...fromFiles];
    if (!names.length && cidFiles.length && ignore) return 0; // the unit's container is gone already
    if (!names.length && !opts.all) throw new (await import('../../engine/errors.js')).SelkieError('usage', 'rm requires at least one container name or ID', { hint: 'or use --all' });
    return forEachContainer(
      ctx,
      names,
      ignoringMissing(ignore, async (n) => {
        // rm -f -t N: a graceful stop first, as Podman does.
        if (opts.force && opts.time !== undefined) await engine.containers.stop(n, { timeout: opts.time as number });
        await engine.containers.remove(n, { force: Boolean(opts.force), volumes: Boolean(opts.volumes) });
        return n;
      }),
      { notFoundExit: 1 },
    ).then((code) => {
      // The container the cidfile named is gone: so is the file (as Podman does).
      for (const f of cidFiles) if (code === 0) fs.rmSync(f, { force: true });
      return code;
    });
  },
};
