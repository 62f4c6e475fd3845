/** io.podman Reset: remove every pod, container, volume and image of this storage, through the Engine. */
import { describeError } from '../../errors.js';
import type { Engine } from '../../engine.js';
import type { MethodHandler } from '../service.js';
import { podmanError } from './podman-errors.js';

export function resetMethods(engine: Engine): Record<string, MethodHandler> {
  return {
    /** Remove every pod, container, volume and image of this storage (Podman 1.9's Reset exited its service afterwards; this one goes on serving). */
    Reset: async () => {
      const failures: string[] = [];
      const attempt = async (what: string, f: () => Promise<unknown>) => {
        try {
          await f();
        } catch (e) {
          failures.push(`${what}: ${describeError(e)}`);
        }
      };
      for (const p of await engine.pods.list()) await attempt(`pod ${p.Name}`, () => engine.pods.remove(p.Id, { force: true, timeout: 0 }));
      for (const c of await engine.containers.list({ all: true })) await attempt(`container ${c.Names[0] ?? c.Id}`, () => engine.containers.remove(c.Id, { force: true, volumes: true }));
      for (const v of await engine.volumes.list()) await attempt(`volume ${v.Name}`, () => engine.volumes.remove(v.Name, { force: true }));
      for (const i of await engine.images.list({ all: true })) await attempt(`image ${i.Id.replace(/^sha256:/, '').slice(0, 12)}`, () => engine.images.remove(i.Id, { force: true }));
      if (failures.length) throw podmanError.errorOccurred(`reset left things behind: ${failures.join('; ')}`);
      return {};
    },
  };
}
