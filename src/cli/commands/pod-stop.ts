import { podIdFileCommand } from '../output/pod-id-file-args.js';
import { intArg } from '../output/run-flags.js';

export const command = podIdFileCommand(
  'stop',
  (engine, n, opts) => engine.pods.stop(n, { timeout: opts.time as number | undefined }),
  (cmd) => cmd.option('-t, --time <seconds>', 'seconds to wait for each container before killing it', (v) => intArg('--time', v)),
  { ignore: true },
);
