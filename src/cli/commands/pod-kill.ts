import { eachPodCommand } from '../output/each-pod.js';

export const command = eachPodCommand(
  (engine, n, opts) => engine.pods.kill(n, String(opts.signal)),
  (cmd) => cmd.option('-s, --signal <signal>', 'signal to send to the containers of the pod', 'KILL'),
);
