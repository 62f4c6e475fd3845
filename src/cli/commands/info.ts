import type { CommandModule } from '../command-module.js';
import { formatOne } from '../format/output.js';
import { stringify as toYaml } from 'yaml';
import { goFieldNames } from '../output/go-field-names.js';

export const command: CommandModule = {
  usage: '[OPTIONS]',
  configure(cmd) {
    cmd.option('-f, --format <template>', "format the output with a Go template, or 'json'");
  },
  async run(ctx, _args, opts) {
    const info = await (await ctx.engine()).system.info();
    const format = opts.format as string | undefined;
    if (!format) ctx.out(toYaml(info));
    else ctx.out(formatOne(format, format === 'json' ? info : goFieldNames(info)));
  },
};
