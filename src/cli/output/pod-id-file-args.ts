/**
 * `pod start/stop/rm --pod-id-file FILE` and `--ignore`: pods named by the ID a `pod create
 * --pod-id-file` wrote, and missing pods (or files) that are no failure — what the pod unit of
 * `generate systemd --new` runs in ExecStart/ExecStop/ExecStopPost.
 */
import fs from 'node:fs';
import { isSelkieError, usageError } from '../../engine/errors.js';
import type { Engine } from '../../engine/engine.js';
import type { PodActionReport } from '../../engine/types/pod.js';
import { collect, type CommandModule } from '../command-module.js';
import { idsFromIdFiles } from './cidfile-args.js';
import { forEachPod } from './each-pod.js';

/** The pod IDs in the files (`pod create --pod-id-file` wrote them). */
export const idsFromPodIdFiles = (files: string[], ignore: boolean): string[] => idsFromIdFiles(files, ignore, 'pod');

/**
 * A command taking [POD...] and --pod-id-file (repeatable), with `--ignore` when `ignore` is set;
 * `removeFiles`: the files go once their pods are gone (pod rm).
 */
export function podIdFileCommand(
  verb: string,
  act: (engine: Engine, name: string, opts: Record<string, unknown>) => Promise<PodActionReport | { id: string }>,
  configure: CommandModule['configure'] = () => {},
  o: { ignore?: boolean; removeFiles?: boolean } = {},
): CommandModule {
  return {
    usage: '[OPTIONS] [POD...]',
    configure(cmd) {
      cmd.argument('[pod...]').option('--pod-id-file <file>', 'read the pod ID from this file (repeatable)', collect, []);
      if (o.ignore) cmd.option('-i, --ignore', 'ignore pods (and --pod-id-file files) that do not exist');
      configure(cmd);
    },
    async run(ctx, args, opts) {
      const ignore = Boolean(opts.ignore);
      const files = opts.podIdFile as string[];
      const names = [...args, ...idsFromPodIdFiles(files, ignore)];
      if (!names.length) {
        if (files.length && ignore) return 0; // the unit's pod is gone already
        throw usageError(`pod ${verb} requires at least one pod name or ID`, 'or use --pod-id-file');
      }
      const engine = await ctx.engine();
      const code = await forEachPod(ctx, names, async (n) => {
        try {
          return await act(engine, n, opts);
        } catch (e) {
          if (ignore && isSelkieError(e) && e.kind === 'not-found') return undefined;
          throw e;
        }
      });
      if (o.removeFiles && code === 0) for (const f of files) fs.rmSync(f, { force: true });
      return code;
    },
  };
}
