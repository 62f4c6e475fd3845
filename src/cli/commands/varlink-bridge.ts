import { defaultPaths } from '../../engine/config/paths.js';
import { parseVarlinkAddress } from '../../engine/varlink/address.js';
import { connectOrStartService, defaultServiceAddress } from '../../engine/varlink/service-launcher.js';
import type { CommandModule } from '../command-module.js';
import { cliScript } from '../launcher.js';
import type { CliContext } from '../context.js';

export const command: CommandModule = {
  usage: '[ADDRESS]',
  description:
    'Relay varlink between stdin/stdout and the local service at ADDRESS (default: the standard socket, ' +
    'unix:/run/selkie/io.podman for root). If nothing listens there, the service is started (it exits again ' +
    'when idle). This is what `selkie --url ssh://…` runs on the remote host.',
  examples: ['ssh host selkie varlink bridge', 'selkie varlink bridge unix:/tmp/selkie.sock'],
  configure(cmd) {
    cmd.argument('[address]').option('--timeout <seconds>', 'idle timeout of a service the bridge starts', '5');
  },
  async run(ctx, args, opts) {
    const address = args[0] ? parseVarlinkAddress(args[0]) : defaultServiceAddress(ctx.globals.runroot ?? defaultPaths().runRoot);
    const s = await connectOrStartService(address, {
      script: cliScript(),
      execArgv: process.execArgv,
      globals: engineGlobals(ctx),
      timeoutSeconds: Number(opts.timeout),
      debug: (m) => ctx.debug(m),
    });
    process.stdin.pipe(s);
    s.pipe(process.stdout);
    await new Promise<void>((resolve) => {
      s.once('close', () => resolve());
      s.on('error', () => resolve());
      process.stdout.on('error', () => s.destroy());
    });
    process.stdin.unpipe(s);
    process.stdin.pause();
  },
};

/** This command's global options that choose the engine, for the service it starts. */
function engineGlobals(ctx: CliContext): string[] {
  const g = ctx.globals;
  return [
    ...(g.root ? ['--root', g.root] : []),
    ...(g.runroot ? ['--runroot', g.runroot] : []),
    ...(g.storageDriver ? ['--storage-driver', g.storageDriver] : []),
    ...(g.runtime ? ['--runtime', g.runtime] : []),
    ...(g.cgroupManager ? ['--cgroup-manager', g.cgroupManager] : []),
  ];
}
