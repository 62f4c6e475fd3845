import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { defaultPaths } from '../../engine/config/paths.js';
import { SelkieError } from '../../engine/errors.js';
import { formatVarlinkAddress, parseVarlinkAddress, type VarlinkAddress } from '../../engine/varlink/address.js';
import type { CommandModule } from '../command-module.js';
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
    const address = parseVarlinkAddress(args[0] ?? `unix:${path.join(defaultPaths().runRoot, 'io.podman')}`);
    let socket = await connect(address).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOENT' && e.code !== 'ECONNREFUSED') throw e;
      return undefined;
    });
    if (!socket) {
      startService(ctx, address, String(opts.timeout));
      socket = await connectWithin(address, 10_000);
    }
    const s = socket;
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

function connect(a: VarlinkAddress): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = a.kind === 'unix' ? net.connect({ path: a.path }) : net.connect({ host: a.host, port: a.port });
    s.once('error', reject);
    s.once('connect', () => {
      s.off('error', reject);
      resolve(s);
    });
  });
}

async function connectWithin(a: VarlinkAddress, ms: number): Promise<net.Socket> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await connect(a);
    } catch (e) {
      if (Date.now() > deadline) {
        throw new SelkieError('runtime', `the varlink service at ${formatVarlinkAddress(a)} did not start: ${(e as Error).message}`, {
          hint: 'run it by hand to see why: selkie --log-level debug system service --varlink',
        });
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}

/** Start `selkie system service --varlink ADDRESS` in the background with this command's global options. */
function startService(ctx: CliContext, a: VarlinkAddress, timeout: string): void {
  const g = ctx.globals;
  const globals = [
    ...(g.root ? ['--root', g.root] : []),
    ...(g.runroot ? ['--runroot', g.runroot] : []),
    ...(g.storageDriver ? ['--storage-driver', g.storageDriver] : []),
    ...(g.runtime ? ['--runtime', g.runtime] : []),
    ...(g.cgroupManager ? ['--cgroup-manager', g.cgroupManager] : []),
  ];
  const child = spawn(process.execPath, [...process.execArgv, process.argv[1]!, ...globals, 'system', 'service', '--varlink', '--timeout', timeout, formatVarlinkAddress(a)], {
    detached: true,
    stdio: 'ignore',
  });
  child.unref();
  ctx.debug(`started the varlink service (pid ${child.pid}) on ${formatVarlinkAddress(a)}`);
}
