import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { CommandModule } from '../command-module.js';
import type { Engine } from '../../engine/engine.js';
import { isSelkieError, usageError } from '../../engine/errors.js';
import { extractArchive, packPath } from '../../engine/containers/copy-archive.js';
import { resolveInRoot } from '../../engine/util/root-path.js';
import { copyPlan, renameEntries, splitCopyArg } from '../output/copy-plan.js';

export const command: CommandModule = {
  usage: '[OPTIONS] CONTAINER:SRC_PATH DEST_PATH|-\n       selkie cp [OPTIONS] SRC_PATH|- CONTAINER:DEST_PATH',
  description:
    'Copy files/folders between a container and the local filesystem. Use "-" as the source to read a tar archive from stdin and extract it to a directory in the container, or as the destination to write a tar archive of the container path to stdout.',
  examples: ['selkie cp web:/etc/nginx/nginx.conf .', 'selkie cp ./site/. web:/usr/share/nginx/html', 'selkie cp web:/var/log - | tar -t'],
  configure(cmd) {
    cmd
      .argument('<source>')
      .argument('<destination>')
      .option('-a, --archive', 'archive mode (keep the UID/GID of the source files)')
      .option('-L, --follow-link', 'always follow a symbolic link given as SRC_PATH');
  },
  async run(ctx, args, opts) {
    const src = splitCopyArg(args[0]!);
    const dst = splitCopyArg(args[1]!);
    if (src.container && dst.container) throw usageError('copying between containers is not supported', 'copy to the host first, then into the other container');
    if (!src.container && !dst.container) throw usageError('must specify at least one container source', 'use CONTAINER:PATH for the container side');
    const engine = await ctx.engine();
    const archive = Boolean(opts.archive);
    const followLink = Boolean(opts.followLink);
    if (src.container) await copyOut(engine, src.container, absolute(src.path), dst.path, archive, followLink);
    else await copyIn(engine, src.path, dst.container!, absolute(dst.path), archive, followLink);
  },
};

/** Container paths are relative to the container's root. */
const absolute = (p: string) => (p.startsWith('/') ? p : `/${p}`);

async function copyOut(engine: Engine, container: string, srcPath: string, dest: string, archive: boolean, followLink: boolean): Promise<void> {
  if (dest !== '-') {
    const parent = path.dirname(path.resolve(dest.replace(/\/+$/, '') || '/'));
    if (!fs.existsSync(dest) && !fs.statSync(parent, { throwIfNoEntry: false })?.isDirectory()) {
      throw usageError(`destination ${dest}: its parent directory does not exist`, 'create the parent directory first');
    }
  }
  if (dest === '-') {
    await pipeline((await engine.containers.copyFrom(container, srcPath, { followLink })).tar, process.stdout);
    return;
  }
  // The plan first (it may refuse), then the copy.
  const source = await engine.containers.statPath(container, srcPath, { followLink });
  const st = fs.statSync(dest, { throwIfNoEntry: false });
  const plan = copyPlan(
    { given: srcPath, isDir: source.kind === 'dir', base: source.name },
    { given: dest, exists: Boolean(st), isDir: Boolean(st?.isDirectory()), parentIsDir: true },
  );
  const { stat, tar } = await engine.containers.copyFrom(container, srcPath, { followLink });
  try {
    const dir = path.resolve(plan.dir);
    await extractArchive(tar, {
      resolve: (rel) => resolveInRoot(dir, rel, false),
      rename: renameEntries(stat.name, plan.name),
      owner: archive ? undefined : { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 },
    });
  } catch (e) {
    tar.destroy();
    throw isSelkieError(e) ? e : usageError(`copying ${container}:${srcPath} to ${dest} failed: ${(e as Error).message}`);
  }
}

async function copyIn(engine: Engine, source: string, container: string, destPath: string, archive: boolean, followLink: boolean): Promise<void> {
  if (source === '-') {
    await engine.containers.copyTo(container, destPath, process.stdin, { preserveOwnership: archive });
    return;
  }
  const local = followLink ? fs.statSync(source, { throwIfNoEntry: false }) : fs.lstatSync(source, { throwIfNoEntry: false });
  if (!local) throw usageError(`no such file or directory: ${source}`, 'check the source path on this host');
  const dest = await statOrMissing(engine, container, destPath);
  let parentIsDir = true;
  if (!dest) {
    const parent = path.posix.dirname(destPath.replace(/\/+$/, '') || '/');
    parentIsDir = (await statOrMissing(engine, container, parent))?.kind === 'dir';
  }
  const base = path.basename(path.resolve(source));
  const plan = copyPlan({ given: source, isDir: local.isDirectory(), base }, { given: destPath, exists: Boolean(dest), isDir: dest?.kind === 'dir', parentIsDir });
  const hostPath = followLink ? fs.realpathSync(source) : path.resolve(source);
  await engine.containers.copyTo(container, plan.dir, packPath(hostPath, plan.name), { preserveOwnership: archive });
}

async function statOrMissing(engine: Engine, container: string, p: string) {
  try {
    return await engine.containers.statPath(container, p, { followLink: true });
  } catch (e) {
    if (isSelkieError(e) && e.kind === 'not-found' && !/container "/.test(e.message)) return undefined;
    throw e;
  }
}
