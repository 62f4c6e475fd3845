import type { CommandModule } from '../command-module.js';
import { collect } from '../command-module.js';
import { usageError } from '../../engine/errors.js';

export const command: CommandModule = {
  usage: '[OPTIONS] [NAME]',
  description: 'Create a bridge network (a Linux bridge with IP allocation, masquerade and, unless disabled, name resolution between its containers)',
  configure(cmd) {
    cmd
      .argument('[name]')
      .option('-d, --driver <driver>', 'driver to manage the network', 'bridge')
      .option('--subnet <cidr>', 'subnet in CIDR format, e.g. 10.90.0.0/24')
      .option('--gateway <ip>', 'IPv4 gateway of the subnet')
      .option('--internal', 'restrict external access from this network')
      .option('--disable-dns', 'disable DNS name resolution on this network')
      .option('--label <label>', 'set metadata on the network (key=value)', collect, [])
      .option('--interface-name <name>', 'name of the bridge interface')
      .option('--ignore', "don't fail if the network already exists");
  },
  async run(ctx, args, opts) {
    const labels: Record<string, string> = {};
    for (const l of opts.label as string[]) {
      const eq = l.indexOf('=');
      if (eq === 0) throw usageError(`invalid --label "${l}"`, 'use --label key=value');
      if (eq < 0) labels[l] = '';
      else labels[l.slice(0, eq)] = l.slice(eq + 1);
    }
    const n = await (await ctx.engine()).networks.create({
      name: args[0],
      driver: opts.driver as string,
      subnet: opts.subnet as string | undefined,
      gateway: opts.gateway as string | undefined,
      internal: Boolean(opts.internal),
      disableDns: Boolean(opts.disableDns),
      labels,
      interfaceName: opts.interfaceName as string | undefined,
      ignore: Boolean(opts.ignore),
    });
    ctx.out(`${n.name}\n`);
  },
};
