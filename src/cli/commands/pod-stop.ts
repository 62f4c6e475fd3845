import { eachPodCommand } from '../output/each-pod.js';
import { intArg } from '../output/run-flags.js';

export const command = eachPodCommand(
  (engine, n, opts) => engine.pods.stop(n, { timeout: opts.time as number | undefined }),
  (cmd) => cmd.option('-t, --time <seconds>', 'seconds to wait for each container before killing it', (v) => intArg('--time', v)),
);
