/**
 * `selkie system migrate` (podman system migrate): for a rootless user, stop its running
 * containers and the pause process that holds its user namespace, so the next command builds the
 * namespace again from /etc/subuid and /etc/subgid (after the ranges changed). Root: nothing to do.
 */
import { hostUid, isRootless } from '../../engine/config/paths.js';
import { pauseRunDir, stopPauseProcess } from '../../engine/rootless/pause-process.js';
import type { CommandModule } from '../command-module.js';

export const command: CommandModule = {
  usage: '[OPTIONS]',
  description: "Stop the rootless user's containers and pause process, so the next command maps the user namespace anew",
  configure() {},
  async run(ctx) {
    if (!isRootless()) return;
    const engine = await ctx.engine();
    const running = (await engine.containers.list()).filter((c) => c.State === 'running' || c.State === 'paused');
    for (const c of running) {
      try {
        await engine.containers.stop(c.Id);
      } catch (e) {
        ctx.err(`Error: stopping container ${c.Names[0] ?? c.Id.slice(0, 12)}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    await ctx.close();
    await stopPauseProcess(pauseRunDir(process.env, hostUid()));
  },
};
