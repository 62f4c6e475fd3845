/**
 * `selkie system reset [-f]` (podman system reset): remove every container, pod, volume, image and
 * network of this storage, then the storage and run directories themselves. Rootless: the user's own
 * (~/.local/share/selkie, the run directory) and its pause process. Asks first unless --force.
 */
import fs from 'node:fs';
import { hostUid, isRootless } from '../../engine/config/paths.js';
import { pauseRunDir, stopPauseProcess } from '../../engine/rootless/pause-process.js';
import { describeError, usageError } from '../../engine/errors.js';
import type { CommandModule } from '../command-module.js';
import { confirm } from '../output/confirm.js';

export const command: CommandModule = {
  usage: '[OPTIONS]',
  description: 'Reset the storage: remove all containers, pods, volumes, images, networks and the storage directories',
  configure(cmd) {
    cmd.option('-f, --force', 'do not ask for confirmation');
  },
  async run(ctx, _args, opts) {
    const g = ctx.globals;
    if (g.url || g.connection || g.remote || process.env.CONTAINER_HOST || process.env.CONTAINER_CONNECTION) {
      // Its last step removes directories on this host: never a remote engine's paths.
      throw usageError('system reset works on the local storage only', 'run it on the host of the remote engine');
    }
    const engine = await ctx.engine();
    const info = await engine.system.info();
    const { graphRoot, runRoot } = info.store;
    if (!opts.force) {
      const ok = await confirm(
        `WARNING! This will remove:\n        - all containers\n        - all pods\n        - all images\n        - all volumes\n        - all networks\n        - the storage ${graphRoot} and run state ${runRoot}\nAre you sure you want to continue? [y/N] `,
      );
      if (!ok) return;
    }
    let failures = 0;
    const attempt = async (what: string, f: () => Promise<unknown>) => {
      try {
        await f();
      } catch (e) {
        failures++;
        ctx.err(`Error: removing ${what}: ${describeError(e)}`);
      }
    };
    for (const p of await engine.pods.list()) await attempt(`pod ${p.Name}`, () => engine.pods.remove(p.Id, { force: true, timeout: 0 }));
    for (const c of await engine.containers.list({ all: true })) await attempt(`container ${c.Names[0] ?? c.Id}`, () => engine.containers.remove(c.Id, { force: true, volumes: true }));
    for (const v of await engine.volumes.list()) await attempt(`volume ${v.Name}`, () => engine.volumes.remove(v.Name, { force: true }));
    for (const i of await engine.images.list({ all: true })) await attempt(`image ${i.Id.slice(0, 12)}`, () => engine.images.remove(i.Id, { force: true }));
    if (!isRootless()) {
      for (const n of await engine.networks.list()) if (n.name !== 'selkie') await attempt(`network ${n.name}`, () => engine.networks.remove(n.name, { force: true }));
    }
    await ctx.close();
    // The pause process keeps its pid file in the run directory: stop it before that goes.
    if (isRootless()) await stopPauseProcess(pauseRunDir(process.env, hostUid()));
    // The directories go too (whatever the removals left: layers of failed pulls, temp files).
    for (const dir of [graphRoot, runRoot]) {
      try {
        fs.rmSync(dir, { recursive: true, force: true });
      } catch (e) {
        failures++;
        ctx.err(`Error: removing ${dir}: ${describeError(e)} (something may still be mounted there)`);
      }
    }
    return failures ? 125 : 0;
  },
};
