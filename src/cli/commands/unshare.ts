/**
 * `selkie unshare [COMMAND [ARG...]]` (podman unshare): run a command — default $SHELL — inside the
 * rootless user's user and mount namespaces (the CLI is already there: cli/userns-reexec.ts), as
 * root of that namespace, so the user can inspect or delete files its containers created.
 * CONTAINERS_GRAPHROOT / CONTAINERS_RUNROOT name the storage, as Podman sets them.
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import { defaultPaths, isRootless } from '../../engine/config/paths.js';
import { SelkieError, usageError } from '../../engine/errors.js';
import type { CommandModule } from '../command-module.js';

export const command: CommandModule = {
  usage: '[COMMAND [ARG...]]',
  description: "Run a command in the rootless user's user namespace (as its root), e.g. to remove files containers created",
  examples: ['selkie unshare cat /proc/self/uid_map', 'selkie unshare rm -rf ~/.local/share/selkie/vfs/dir/ID'],
  passThrough: true,
  configure(cmd) {
    cmd.argument('[command...]');
  },
  async run(ctx, args) {
    if (!isRootless()) throw usageError('selkie unshare is for rootless users: root already sees every file', 'run the command directly');
    const d = defaultPaths();
    const argv = args.length ? args : [process.env.SHELL || '/bin/sh'];
    const env = {
      ...process.env,
      CONTAINERS_GRAPHROOT: ctx.globals.root ?? d.graphRoot,
      CONTAINERS_RUNROOT: ctx.globals.runroot ?? d.runRoot,
    };
    return new Promise<number>((resolve, reject) => {
      const child = spawn(argv[0]!, argv.slice(1), { stdio: 'inherit', env });
      process.on('SIGINT', () => {}); // the terminal's ^C is the command's
      child.on('error', (e: NodeJS.ErrnoException) =>
        reject(new SelkieError(e.code === 'ENOENT' ? 'command-not-found' : 'cannot-invoke', `cannot run ${argv[0]} in the user namespace: ${e.message}`)),
      );
      child.on('exit', (code, signal) => resolve(code ?? 128 + (signal ? (os.constants.signals[signal] ?? 0) : 0)));
    });
  },
};
