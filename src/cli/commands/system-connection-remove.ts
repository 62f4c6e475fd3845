import { removeConnection } from '../../engine/remote/connections.js';
import type { CommandModule } from '../command-module.js';

export const command: CommandModule = {
  usage: 'NAME',
  description: 'Forget a named remote connection.',
  configure(cmd) {
    cmd.argument('<name>');
  },
  async run(_ctx, args) {
    removeConnection(args[0]!);
  },
};
