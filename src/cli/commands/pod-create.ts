import type { CommandModule } from '../command-module.js';
import { collect } from '../command-module.js';
import path from 'node:path';
import { SelkieError, usageError } from '../../engine/errors.js';
import type { PodExitPolicy, PodNamespace } from '../../engine/types/pod.js';
import { writeFileAtomic } from '../../engine/util/atomic-file.js';
import { keyValues } from '../output/run-flags.js';

export const command: CommandModule = {
  usage: '[OPTIONS]',
  description: 'Create a new empty pod: an infra container holding the namespaces its containers share',
  examples: ['selkie pod create --name web -p 8080:80', 'selkie run -d --pod web localhost/busybox httpd -f -p 80'],
  configure(cmd) {
    cmd
      .option('-n, --name <name>', 'name of the pod (generated when absent)')
      .option('--infra [bool]', 'create an infra container for the pod (--infra=false for none)', (v) => v !== 'false', true)
      .option('--no-infra', 'do not create an infra container')
      .option('--infra-image <image>', 'image of the infra container (default: the built-in pause image)')
      .option('--infra-name <name>', 'name of the infra container')
      .option('--infra-command <command>', 'command the infra container runs')
      .option('--share <namespaces>', 'namespaces the containers share: net, ipc, uts, pid, cgroup (default net,ipc,uts)')
      .option('-p, --publish <port>', "publish a port of the pod's network to the host", collect, [])
      .option('--network <network>', 'network of the pod', collect, [])
      .option('--hostname <name>', 'hostname of the pod (default: its name)')
      .option('-l, --label <label>', 'set metadata on the pod (key=value)', collect, [])
      .option('--add-host <host:ip>', 'add a custom host-to-IP mapping', collect, [])
      .option('--dns <ip>', 'custom DNS servers', collect, [])
      .option('--cgroup-parent <path>', 'cgroup parent of the pod')
      .option('--pod-id-file <file>', 'write the pod ID to this file')
      .option('--infra-conmon-pidfile <file>', "write the PID of the infra container's conmon to this file on each start (systemd's PIDFile=)")
      .option('--exit-policy <policy>', 'what the pod does when its last container exits: continue (keep the infra running) or stop', 'continue')
      .option('--replace', 'replace a pod of the same --name, if there is one (with its containers)');
  },
  async run(ctx, _args, opts) {
    const exitPolicy = String(opts.exitPolicy);
    if (exitPolicy !== 'continue' && exitPolicy !== 'stop') throw usageError(`invalid --exit-policy "${exitPolicy}"`, 'use continue or stop');
    const share = opts.share === undefined ? undefined : (String(opts.share).split(',').map((s) => s.trim()).filter(Boolean) as PodNamespace[]);
    const engine = await ctx.engine();
    const { id } = await engine.pods.create({
      name: opts.name as string | undefined,
      infra: opts.infra !== false,
      infraImage: opts.infraImage as string | undefined,
      infraName: opts.infraName as string | undefined,
      infraCommand: opts.infraCommand === undefined ? undefined : String(opts.infraCommand).split(/\s+/).filter(Boolean),
      share,
      publish: opts.publish as string[],
      network: (opts.network as string[]).flatMap((n) => n.split(',')).filter(Boolean),
      hostname: opts.hostname as string | undefined,
      labels: keyValues('--label', opts.label as string[]),
      addHosts: opts.addHost as string[],
      dns: opts.dns as string[],
      cgroupParent: opts.cgroupParent as string | undefined,
      createCommand: [process.argv[1] ?? 'selkie', ...process.argv.slice(2)],
      infraConmonPidFile: opts.infraConmonPidfile === undefined ? undefined : path.resolve(String(opts.infraConmonPidfile)),
      exitPolicy: exitPolicy as PodExitPolicy,
      replace: Boolean(opts.replace),
    });
    if (opts.podIdFile) {
      try {
        writeFileAtomic(path.resolve(String(opts.podIdFile)), id);
      } catch (e) {
        await engine.pods.remove(id, { force: true }).catch(() => {});
        throw new SelkieError('invalid', `cannot write the pod ID file ${String(opts.podIdFile)}: ${(e as Error).message}`, { hint: 'choose a writable --pod-id-file' });
      }
    }
    ctx.out(`${id}\n`);
  },
};
