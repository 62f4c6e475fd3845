import type { CommandModule } from '../command-module.js';
import { collect } from '../command-module.js';
import { usageError } from '../../engine/errors.js';

export const command: CommandModule = {
  usage: '[OPTIONS] [NAME]',
  description: 'Create a volume (a random 64-hex name when NAME is absent)',
  examples: ['selkie volume create data', 'selkie volume create --opt type=tmpfs --opt device=tmpfs --opt o=size=64m scratch'],
  configure(cmd) {
    cmd
      .argument('[name]')
      .option('-d, --driver <driver>', 'volume driver (only local)', 'local')
      .option('-l, --label <label>', 'set metadata on the volume (key=value)', collect, [])
      .option('-o, --opt <option>', 'driver options: type=, device=, o= (mounted when a container starts)', collect, []);
  },
  async run(ctx, args, opts) {
    const v = await (await ctx.engine()).volumes.create({
      name: args[0],
      driver: String(opts.driver),
      labels: keyValues('--label', opts.label as string[], false),
      options: keyValues('--opt', opts.opt as string[], true),
    });
    ctx.out(`${v.Name}\n`);
  },
};

function keyValues(flag: string, values: string[], needValue: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values) {
    const eq = v.indexOf('=');
    if (eq === 0 || (needValue && eq < 0)) throw usageError(`invalid ${flag} "${v}"`, `use ${flag} key=value`);
    if (eq < 0) out[v] = '';
    else out[v.slice(0, eq)] = v.slice(eq + 1);
  }
  return out;
}
