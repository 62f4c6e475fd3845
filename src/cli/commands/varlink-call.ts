import { SelkieError, usageError } from '../../engine/errors.js';
import { splitAddressAndMethod } from '../../engine/varlink/address.js';
import { VarlinkClient } from '../../engine/varlink/client.js';
import { describeVarlinkError, isVarlinkError } from '../../engine/varlink/varlink-error.js';
import type { CommandModule } from '../command-module.js';

export const command: CommandModule = {
  usage: '[OPTIONS] ADDRESS/INTERFACE.METHOD [PARAMETERS]',
  description: 'Call a varlink method and print its reply as JSON (a debugging client, like the varlink tool).',
  examples: [
    'selkie varlink call unix:/run/selkie/io.podman/io.podman.GetVersion',
    `selkie varlink call unix:/run/selkie/io.podman/io.podman.InspectContainer '{"name": "web"}'`,
    `selkie varlink call --more unix:/run/selkie/io.podman/io.podman.PullImage '{"name": "busybox"}'`,
  ],
  configure(cmd) {
    cmd
      .argument('<target>')
      .argument('[parameters]')
      .option('-m, --more', 'ask for more replies (streaming methods)')
      .option('--oneway', 'ask for no reply');
  },
  async run(ctx, args, opts) {
    const { address, method } = splitAddressAndMethod(args[0]!);
    let parameters: Record<string, unknown> = {};
    if (args[1] !== undefined) {
      try {
        parameters = JSON.parse(args[1]) as Record<string, unknown>;
      } catch (e) {
        throw usageError(`the parameters are not valid JSON: ${(e as Error).message}`, `for example '{"name": "web"}'`);
      }
      if (typeof parameters !== 'object' || parameters === null || Array.isArray(parameters)) throw usageError('the parameters must be a JSON object');
    }
    const client = await VarlinkClient.connect(address);
    try {
      if (opts.oneway) await client.oneway(method, parameters);
      else if (opts.more) for await (const reply of client.callMore(method, parameters)) ctx.out(JSON.stringify(reply, null, 2));
      else ctx.out(JSON.stringify(await client.call(method, parameters), null, 2));
    } catch (e) {
      if (isVarlinkError(e)) throw new SelkieError('runtime', `call failed with error ${describeVarlinkError(e.error, e.parameters)}`);
      throw e;
    } finally {
      client.close();
    }
  },
};
