import { terminalResizes } from '../terminal-resizes.js';
import type { CommandModule } from '../command-module.js';
import { collect } from '../command-module.js';
import { readEnvFile } from '../output/env-file.js';
import { usageError } from '../../engine/errors.js';

export const command: CommandModule = {
  usage: '[OPTIONS] CONTAINER COMMAND [ARG...]',
  passThrough: true,
  examples: ['selkie exec web cat /etc/hostname', 'selkie exec -it web sh'],
  configure(cmd) {
    cmd
      .argument('<container>')
      .argument('[command...]')
      .option('-i, --interactive', 'keep STDIN open and relay it to the process')
      .option('-t, --tty', 'allocate a pseudo-TTY')
      .option('-e, --env <env>', "set environment variables (NAME=value, or NAME to pass the caller's)", collect, [])
      .option('--env-file <file>', 'read environment variables from a file', collect, [])
      .option('-u, --user <user[:group]>', 'username or UID (and group) to run as')
      .option('-w, --workdir <dir>', 'working directory inside the container')
      .option('-d, --detach', 'run the command in the background')
      .option('--detach-keys <keys>', 'key sequence for detaching (default ctrl-p,ctrl-q)')
      .option('--privileged', 'give the process extended privileges (every capability)');
  },
  async run(ctx, args, opts) {
    const [container, ...cmd] = args as [string, ...string[]];
    if (!cmd.length) throw usageError('exec needs a command to run', 'usage: selkie exec [OPTIONS] CONTAINER COMMAND [ARG...]');
    const env = [...((opts.envFile as string[]) ?? []).flatMap(readEnvFile), ...((opts.env as string[]) ?? [])].flatMap((e) => {
      if (e.includes('=')) return [e];
      const v = process.env[e];
      return v === undefined ? [] : [`${e}=${v}`];
    });
    const engine = await ctx.engine();
    const result = await engine.containers.exec(
      container,
      {
        cmd,
        env,
        user: opts.user as string | undefined,
        workdir: opts.workdir as string | undefined,
        tty: Boolean(opts.tty),
        interactive: Boolean(opts.interactive),
        detach: Boolean(opts.detach),
        privileged: Boolean(opts.privileged),
        detachKeys: opts.detachKeys as string | undefined,
      },
      {
        // Getters: the local engine hands the runtime this process's own stdio and never touches the
        // streams, whose creation would cost start-up time.
        get stdin() {
          return opts.interactive ? process.stdin : undefined;
        },
        get stdout() {
          return process.stdout;
        },
        get stderr() {
          return process.stderr;
        },
        inheritStdio: true,
        resize: terminalResizes(),
      },
    );
    if (opts.detach) ctx.out(result.sessionId);
    return result.exitCode ?? 0;
  },
};
