import { readConnections } from '../../engine/remote/connections.js';
import type { CommandModule } from '../command-module.js';
import { formatRows } from '../format/output.js';

const defaultFormat = 'table {{.Name}}\t{{.URI}}\t{{.Identity}}\t{{.Default}}';
const headers = { Name: 'NAME', URI: 'URI', Identity: 'IDENTITY', Default: 'DEFAULT' };

export const command: CommandModule = {
  usage: '[OPTIONS]',
  description: 'List the named remote connections.',
  configure(cmd) {
    cmd.option('--format <template>', "format the output with a Go template, or 'json'").option('-q, --quiet', 'only show connection names');
  },
  async run(ctx, _args, opts) {
    const data = readConnections();
    const rows = Object.entries(data.connections).map(([Name, c]) => ({ Name, URI: c.url, Identity: c.identity ?? '', Default: data.default === Name }));
    if (opts.quiet) return ctx.out(rows.map((r) => `${r.Name}\n`).join(''));
    const fmt = String(opts.format ?? defaultFormat);
    if (fmt === 'json') return ctx.out(JSON.stringify(rows, null, 2));
    ctx.out(formatRows(fmt, rows, { headers, defaultTable: defaultFormat }));
  },
};
