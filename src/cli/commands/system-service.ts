import podmanIdl from '../../engine/varlink/interfaces/io.podman.varlink';
import selkieIdl from '../../engine/varlink/interfaces/io.selkie.varlink';
import { defaultPaths } from '../../engine/config/paths.js';
import { usageError } from '../../engine/errors.js';
import { parseVarlinkAddress } from '../../engine/varlink/address.js';
import { engineVarlinkService } from '../../engine/varlink/engine-service.js';
import { VarlinkServer } from '../../engine/varlink/server.js';
import { defaultServiceAddress } from '../../engine/varlink/service-launcher.js';
import { takeActivatedSockets } from '../../engine/varlink/socket-activation.js';
import type { CommandModule } from '../command-module.js';

export const command: CommandModule = {
  usage: '--varlink [OPTIONS] [ADDRESS]',
  description:
    'Serve the varlink API (io.podman as Podman 1.9, and io.selkie) on ADDRESS: unix:PATH or tcp:HOST:PORT ' +
    '(default unix:/run/selkie/io.podman for root, unix:$XDG_RUNTIME_DIR/selkie/io.podman otherwise). ' +
    'Started by systemd socket activation (LISTEN_FDS), it serves the inherited socket instead. ' +
    'It exits after --timeout seconds without a client, so no daemon stays behind.',
  examples: ['selkie system service --varlink', 'selkie system service --varlink --timeout 0 unix:/tmp/selkie.sock', 'selkie system service --varlink tcp:127.0.0.1:8765'],
  configure(cmd) {
    cmd
      .argument('[address]')
      .option('--varlink', 'serve the varlink API (the only API this service has)')
      .option('-t, --timeout <seconds>', 'exit after this many seconds without a connection (0: never)', '5');
  },
  async run(ctx, args, opts) {
    if (!opts.varlink) throw usageError('selkie system service serves the varlink API only', 'add --varlink');
    const timeout = String(opts.timeout);
    if (!/^\d+(\.\d+)?$/.test(timeout)) throw usageError(`invalid --timeout "${timeout}": expected seconds (0 for no timeout)`);
    const activated = takeActivatedSockets();
    const address = activated.length ? undefined : (args[0] ? parseVarlinkAddress(args[0]) : defaultServiceAddress(ctx.globals.runroot ?? defaultPaths().runRoot));
    const engine = await ctx.engine();
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    const server = new VarlinkServer(engineVarlinkService(engine, { podman: podmanIdl, selkie: selkieIdl }), {
      idleTimeoutMs: Number(timeout) * 1000,
      onIdle: () => {
        ctx.debug('varlink service idle: exiting');
        finish();
      },
      log: (m) => ctx.debug(m),
    });
    if (activated.length) {
      for (const s of activated) await server.listenOnFd(s.fd);
      ctx.debug(`varlink service on ${activated.length} activated socket(s): ${activated.map((s) => s.name).join(', ')}`);
    } else {
      await server.listen(address!);
      ctx.debug(`varlink service listening on ${args[0] ?? 'the default address'}`);
    }
    const onSignal = () => finish();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    await finished;
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await server.close();
  },
};
