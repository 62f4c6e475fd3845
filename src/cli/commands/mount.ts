import { eachContainerCommand } from '../output/each-container.js';

export const command = eachContainerCommand(async (engine, n, all) => {
  const p = await engine.containers.mount(n);
  return all.length > 1 ? `${n} ${p}` : p;
});
