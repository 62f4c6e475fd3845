import type { CommandModule } from '../command-module.js';
import { collect } from '../command-module.js';
import { formatRows } from '../format/output.js';
import { parseFilters } from '../output/filters.js';

const defaultFormat = 'table {{.ID}}\t{{.Name}}\t{{.Driver}}';
const headers = { ID: 'NETWORK ID', Name: 'NAME', Driver: 'DRIVER', Subnets: 'SUBNETS', Gateways: 'GATEWAYS', Internal: 'INTERNAL', DNSEnabled: 'DNS', Labels: 'LABELS', NetworkInterface: 'INTERFACE', Created: 'CREATED' };

export const command: CommandModule = {
  usage: '[OPTIONS]',
  configure(cmd) {
    cmd
      .option('-q, --quiet', 'display only network names')
      .option('--no-trunc', 'do not truncate the network ID')
      .option('-f, --filter <filter>', 'filter: name=, id=, driver=, label=KEY[=VALUE], label!=', collect, [])
      .option('--format <template>', "format the output with a Go template, or 'json'");
  },
  async run(ctx, _args, opts) {
    const nets = await (await ctx.engine()).networks.list({ filters: parseFilters(opts.filter as string[]) });
    if (opts.quiet) {
      ctx.out(nets.map((n) => `${n.name}\n`).join(''));
      return;
    }
    const fmt = String(opts.format ?? defaultFormat);
    if (fmt === 'json') {
      ctx.out(JSON.stringify(nets, null, 4));
      return;
    }
    const trunc = opts.trunc !== false;
    const rows = nets.map((n) => ({
      ID: trunc ? n.id.slice(0, 12) : n.id,
      Name: n.name,
      Driver: n.driver,
      Subnets: n.subnets.map((s) => s.subnet).join(','),
      Gateways: n.subnets.map((s) => s.gateway).join(','),
      Internal: n.internal,
      DNSEnabled: n.dns_enabled,
      IPv6Enabled: n.ipv6_enabled,
      Labels: Object.entries(n.labels ?? {}).map(([k, v]) => `${k}=${v}`).join(','),
      NetworkInterface: n.network_interface,
      Created: n.created,
      Network: n,
    }));
    ctx.out(formatRows(fmt, rows, { headers, defaultTable: defaultFormat }));
  },
};
