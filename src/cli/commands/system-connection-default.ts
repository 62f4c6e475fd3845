import { setDefaultConnection } from '../../engine/remote/connections.js';
import type { CommandModule } from '../command-module.js';

export const command: CommandModule = {
  usage: 'NAME',
  description: 'Make a named connection the one --remote uses.',
  configure(cmd) {
    cmd.argument('<name>');
  },
  async run(_ctx, args) {
    setDefaultConnection(args[0]!);
  },
};
