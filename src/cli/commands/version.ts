import type { CommandModule } from '../command-module.js';
import { formatOne } from '../format/output.js';

export const command: CommandModule = {
  usage: '[OPTIONS]',
  configure(cmd) {
    cmd.option('-f, --format <template>', "format the output with a Go template, or 'json'");
  },
  async run(ctx, _args, opts) {
    const v = await (await ctx.engine()).system.version();
    if (opts.format) {
      ctx.out(formatOne(String(opts.format), v));
      return;
    }
    const c = v.Client;
    const e = v.Engine;
    ctx.out(
      [
        'Client:',
        ` Version:       ${c.Version}`,
        ` API Version:   ${c.ApiVersion}`,
        ` Node Version:  ${c.NodeVersion}`,
        ` OS/Arch:       ${c.Os}/${c.Arch}`,
        '',
        'Engine:',
        ` Version:       ${e.Version}`,
        ` OCI Runtime:   ${e.OCIRuntime.Name} (${e.OCIRuntime.Version}, ${e.OCIRuntime.Path || 'not found'})`,
        ` Conmon:        ${e.Conmon.Version} (${e.Conmon.Path || 'not found'})`,
        ` OS/Arch:       ${e.Os}/${e.Arch}`,
      ].join('\n'),
    );
  },
};
