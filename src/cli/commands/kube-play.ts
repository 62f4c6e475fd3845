import fs from 'node:fs';
import type { CommandModule } from '../command-module.js';
import { usageError } from '../../engine/errors.js';

export const command: CommandModule = {
  usage: '[OPTIONS] KUBEFILE|-',
  description: 'Create pods and containers from Kubernetes YAML (Pod and Deployment)',
  examples: ['selkie play kube web.yaml', 'selkie play kube --down web.yaml'],
  configure(cmd) {
    cmd
      .argument('<file>')
      .option('--down', 'stop and remove the pods the YAML describes')
      .option('--start [bool]', 'start the pods after creating them (default true)', (v) => v !== 'false', true)
      .option('-q, --quiet', 'print nothing');
  },
  async run(ctx, args, opts) {
    const file = args[0]!;
    let text: string;
    try {
      text = file === '-' ? fs.readFileSync(0, 'utf8') : fs.readFileSync(file, 'utf8');
    } catch (e) {
      throw usageError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, 'give the path of a Kubernetes YAML file, or - for stdin');
    }
    const report = await (await ctx.engine()).kube.play(text, { down: Boolean(opts.down), start: opts.start !== false, file: file === '-' ? 'stdin' : file });
    if (opts.quiet) return;
    if (opts.down) {
      ctx.out(report.pods.length ? `Pods stopped:\n${report.pods.map((p) => p.id).join('\n')}\nPods removed:\n${report.pods.map((p) => p.id).join('\n')}\n` : '');
      return;
    }
    for (const p of report.pods) ctx.out(`Pod:\n${p.id}\nContainers:\n${p.containers.join('\n')}\n\n`);
  },
};
