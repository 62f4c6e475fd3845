import { eachPodCommand } from '../output/each-pod.js';

export const command = eachPodCommand((engine, n) => engine.pods.start(n));
