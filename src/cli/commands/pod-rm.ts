import { podIdFileCommand } from '../output/pod-id-file-args.js';
import { intArg } from '../output/run-flags.js';

export const command = podIdFileCommand(
  'rm',
  (engine, n, opts) => engine.pods.remove(n, { force: Boolean(opts.force), timeout: opts.time as number | undefined }),
  (cmd) =>
    cmd
      .option('-f, --force', 'stop and remove the containers of the pod too')
      .option('-t, --time <seconds>', 'seconds to wait for the containers to stop before killing them', (v) => intArg('--time', v)),
  { ignore: true, removeFiles: true },
);
