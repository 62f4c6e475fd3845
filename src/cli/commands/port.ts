import type { CommandModule } from '../command-module.js';
import { usageError } from '../../engine/errors.js';

type Bindings = Record<string, { HostIp: string; HostPort: string }[] | null>;

export const command: CommandModule = {
  usage: '[OPTIONS] CONTAINER [PRIVATE_PORT[/PROTO]]',
  description: "List port mappings of a container, or look up the public address a private port is published on",
  configure(cmd) {
    cmd.argument('[container]').argument('[port]').option('-a, --all', 'display port information for all containers').option('-l, --latest', 'act on the latest container');
  },
  async run(ctx, args, opts) {
    const engine = await ctx.engine();
    let names = args[0] ? [args[0]] : [];
    let wanted = args[1];
    if (opts.all || opts.latest) {
      if (opts.all && args[0]) wanted = args[0];
      const list = await engine.containers.list({ all: false, last: opts.latest ? 1 : undefined });
      names = list.map((c) => c.Id);
    }
    if (!names.length) throw usageError('give a container name or ID, or --all');
    const addr = (b: { HostIp: string; HostPort: string }) => `${b.HostIp || '0.0.0.0'}:${b.HostPort}`;
    if (wanted !== undefined) {
      const m = /^(\d+)(?:\/(tcp|udp))?$/.exec(wanted);
      if (!m) throw usageError(`invalid port "${wanted}"`, 'give PORT or PORT/tcp or PORT/udp');
      const key = `${m[1]}/${m[2] ?? 'tcp'}`;
      let found = false;
      for (const n of names) {
        const ports = ((await engine.containers.inspect(n)).NetworkSettings.Ports ?? {}) as Bindings;
        for (const b of ports[key] ?? []) {
          ctx.out(`${addr(b)}\n`);
          found = true;
        }
      }
      if (!found && !opts.all) {
        ctx.err(`Error: no public port '${key}' published for ${names[0]}`);
        return 125;
      }
      return 0;
    }
    const multi = Boolean(opts.all);
    for (const n of names) {
      const info = await engine.containers.inspect(n);
      const ports = (info.NetworkSettings.Ports ?? {}) as Bindings;
      for (const [key, binds] of Object.entries(ports)) {
        for (const b of binds ?? []) ctx.out(`${multi ? `${info.Id.slice(0, 12)}\t` : ''}${key} -> ${addr(b)}\n`);
      }
    }
  },
};
