import { eachContainerCommand } from '../output/each-container.js';

export const command = eachContainerCommand(async (engine, n) => engine.containers.pause(n));
