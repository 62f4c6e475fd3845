import fs from 'node:fs';
import type { CommandModule } from '../command-module.js';
import { usageError } from '../../engine/errors.js';

export const command: CommandModule = {
  usage: '[OPTIONS] POD|CONTAINER...',
  description: 'Generate Kubernetes YAML (a Pod, and with --service a Service) from pods or containers',
  examples: ['selkie generate kube web > web.yaml', 'selkie generate kube --service -f web.yaml web'],
  configure(cmd) {
    cmd
      .argument('<name...>')
      .option('-s, --service', 'also generate a Service')
      .option('-f, --filename <file>', 'write the YAML to this file instead of stdout')
      .option('--replace', 'overwrite the file given with --filename');
  },
  async run(ctx, args, opts) {
    const yaml = await (await ctx.engine()).kube.generate(args, { service: Boolean(opts.service) });
    if (!opts.filename) return void ctx.out(yaml);
    const file = String(opts.filename);
    if (fs.existsSync(file) && !opts.replace) throw usageError(`${file} already exists`, 'use --replace to overwrite it');
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, yaml);
    fs.renameSync(tmp, file);
  },
};
