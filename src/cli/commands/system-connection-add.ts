import { addConnection } from '../../engine/remote/connections.js';
import type { CommandModule } from '../command-module.js';

export const command: CommandModule = {
  usage: '[OPTIONS] NAME URL',
  description:
    'Record a named remote engine: URL is unix:///path/to/socket or ssh://[user@]host[:port][/path/to/socket]. ' +
    'Use it with --connection NAME (or --remote for the default). Stored in ~/.config/selkie/connections.json.',
  examples: ['selkie system connection add web ssh://root@web.example:22 --identity ~/.ssh/id_ed25519', 'selkie system connection add local unix:///run/selkie/io.podman'],
  configure(cmd) {
    cmd.argument('<name>').argument('<url>').option('-d, --default', 'make it the default connection').option('--identity <file>', 'SSH identity (private key) file');
  },
  async run(_ctx, args, opts) {
    addConnection(args[0]!, { url: args[1]!, identity: (opts.identity as string | undefined) ?? undefined }, Boolean(opts.default));
  },
};
