import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import type { CommandModule } from '../command-module.js';
import { addCreateFlags, intArg } from '../output/run-flags.js';
import { SelkieError, isSelkieError, usageError } from '../../engine/errors.js';
import type { Engine } from '../../engine/engine.js';
import type { ContainerInspect } from '../../engine/types/container.js';
import { SELKIE_VERSION } from '../../engine/version.js';
import {
  containerUnit,
  containerUnitName,
  podUnit,
  restartPolicies,
  type ContainerUnitInput,
  type GeneratedUnit,
  type UnitContext,
  type UnitOptions,
} from '../../engine/systemd/unit-generator.js';

export const command: CommandModule = {
  usage: '[OPTIONS] CONTAINER|POD',
  description: 'Generate systemd unit files that run a container or a pod (with its containers) under systemd',
  examples: [
    'selkie generate systemd --name web',
    'selkie generate systemd --new --files --name web   # writes container-web.service here',
    'selkie generate systemd --files --name mypod       # pod-mypod.service and one unit per container',
    'selkie generate systemd --new --files --name mypod # a pod unit that creates the pod, units that run its containers in it',
  ],
  configure(cmd) {
    cmd
      .argument('<container|pod>')
      .option('--new', 'create a new container when the unit starts and remove it when it stops (Type=notify)')
      .option('-n, --name', 'use container and pod names instead of IDs')
      .option('--restart-policy <policy>', `systemd restart policy (${restartPolicies.join(', ')})`, 'on-failure')
      .option('--restart-sec <seconds>', 'seconds systemd waits before restarting the unit', (v) => intArg('--restart-sec', v))
      .option('-t, --time <seconds>', 'stop timeout in seconds (default: the container\'s own)', (v) => intArg('--time', v))
      .option('-f, --files', 'write the units to NAME.service files in the current directory and print their paths')
      .option('--container-prefix <prefix>', 'prefix of container unit names', 'container')
      .option('--pod-prefix <prefix>', 'prefix of pod unit names', 'pod')
      .option('--separator <sep>', 'separator between the prefix and the name or ID', '-')
      .option('--no-header', 'leave out the comment header');
  },
  async run(ctx, args, opts) {
    const policy = String(opts.restartPolicy);
    if (!(restartPolicies as readonly string[]).includes(policy)) throw usageError(`invalid --restart-policy "${policy}"`, `use one of ${restartPolicies.join(', ')}`);
    if (opts.restartSec !== undefined && (opts.restartSec as number) < 0) throw usageError('--restart-sec must not be negative');
    if (opts.time !== undefined && (opts.time as number) < 0) throw usageError('--time must not be negative');
    const o: UnitOptions = {
      new: Boolean(opts.new),
      useName: Boolean(opts.name),
      restartPolicy: policy,
      restartSec: opts.restartSec as number | undefined,
      stopTimeout: opts.time as number | undefined,
      containerPrefix: String(opts.containerPrefix),
      podPrefix: String(opts.podPrefix),
      separator: String(opts.separator),
      noHeader: opts.header === false,
    };
    const engine = await ctx.engine();
    const info = await engine.system.info();
    const g = ctx.globals;
    const unitCtx: UnitContext = {
      executable: path.resolve(process.argv[1] ?? 'selkie'),
      globalArgs: [...(g.root ? ['--root', g.root] : []), ...(g.runroot ? ['--runroot', g.runroot] : []), ...(g.storageDriver ? ['--storage-driver', g.storageDriver] : []), ...(g.storageOpt ?? []).flatMap((o) => ['--storage-opt', o])],
      version: SELKIE_VERSION,
      runRoot: info.store.runRoot,
      valueFlags: createValueFlags(),
    };
    const units = await generate(engine, args[0]!, o, unitCtx);
    if (!opts.files) {
      ctx.out(units.map((u) => u.text).join('\n').replace(/\n+$/, ''));
      return 0;
    }
    for (const u of units) {
      const file = path.resolve(`${u.name}.service`);
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, u.text);
      fs.renameSync(tmp, file);
      ctx.out(file);
    }
    return 0;
  },
};

async function generate(engine: Engine, target: string, o: UnitOptions, unitCtx: UnitContext): Promise<GeneratedUnit[]> {
  const ctr = await orMissing(engine.containers.inspect(target));
  try {
    if (ctr) return [containerUnit(unitInput(ctr), o, unitCtx)];
    const pod = await orMissing(engine.pods.inspect(target));
    if (!pod) {
      throw new SelkieError('not-found', `${target} does not refer to a container or pod: no container or pod with that name or ID exists`, { hint: 'list them with selkie ps -a and selkie pod ps' });
    }
    if (!pod.InfraContainerId) throw usageError(`pod ${pod.Name} has no infra container: a pod unit starts the pod through it`, 'create the pod with an infra container');
    const infra = unitInput(await engine.containers.inspect(pod.InfraContainerId));
    const members = await Promise.all(pod.Containers.filter((c) => c.Id !== pod.InfraContainerId).map(async (c) => unitInput(await engine.containers.inspect(c.Id))));
    const podUnitText = podUnit({ id: pod.Id, name: pod.Name, infra, createCommand: pod.CreateCommand }, members.map((m) => containerUnitName(m, o)), o, unitCtx);
    return [podUnitText, ...members.map((m) => containerUnit(m, o, unitCtx, podUnitText.name))];
  } catch (e) {
    // The generator's own refusals (--new without a create command) are bad input.
    if (!isSelkieError(e) && e instanceof Error) throw usageError(e.message);
    throw e;
  }
}

function unitInput(c: ContainerInspect): ContainerUnitInput {
  return {
    id: c.Id,
    name: c.Name,
    stopTimeout: c.Config.StopTimeout ?? 10,
    conmonPidFile: c.ConmonPidFile ?? '',
    createCommand: c.Config.CreateCommand,
  };
}

async function orMissing<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch (e) {
    if (isSelkieError(e) && e.kind === 'not-found') return undefined;
    throw e;
  }
}

/** The value-taking options of run/create, read from the CLI's own definition of them. */
function createValueFlags(): Set<string> {
  const cmd = new Command();
  addCreateFlags(cmd);
  return new Set(cmd.options.filter((x) => x.required || x.optional).flatMap((x) => [x.long, x.short].filter((f): f is string => Boolean(f))));
}
