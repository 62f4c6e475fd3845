import { podIdFileCommand } from '../output/pod-id-file-args.js';

export const command = podIdFileCommand('start', (engine, n) => engine.pods.start(n));
