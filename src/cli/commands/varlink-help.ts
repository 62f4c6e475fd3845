import { SelkieError } from '../../engine/errors.js';
import { VarlinkClient } from '../../engine/varlink/client.js';
import { describeVarlinkError, isVarlinkError } from '../../engine/varlink/varlink-error.js';
import type { CommandModule } from '../command-module.js';

export const command: CommandModule = {
  usage: 'ADDRESS/INTERFACE',
  description: 'Print the definition of an interface a varlink service implements (org.varlink.service.GetInterfaceDescription).',
  examples: ['selkie varlink help unix:/run/selkie/io.podman/io.podman'],
  configure(cmd) {
    cmd.argument('<target>');
  },
  async run(ctx, args) {
    const target = args[0]!;
    const slash = target.lastIndexOf('/');
    const iface = target.slice(slash + 1);
    if (slash <= 0 || !/^[a-z][a-z0-9-]*(\.[a-z0-9-]+)+$/.test(iface)) {
      throw new SelkieError('usage', `expected ADDRESS/INTERFACE, got ${JSON.stringify(target)}`, { hint: 'for example unix:/run/selkie/io.podman/io.podman' });
    }
    const client = await VarlinkClient.connect(target.slice(0, slash));
    try {
      ctx.out(String((await client.call('org.varlink.service.GetInterfaceDescription', { interface: iface })).description));
    } catch (e) {
      if (isVarlinkError(e)) throw new SelkieError('not-found', `call failed with error ${describeVarlinkError(e.error, e.parameters)}`);
      throw e;
    } finally {
      client.close();
    }
  },
};
