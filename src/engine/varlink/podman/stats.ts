/**
 * io.podman resource statistics: GetContainerStats, GetContainerStatsWithHistory and GetPodStats,
 * from the Engine's stats (cgroup counters; CPU % measured by the engine over a short interval, so a
 * client's previous sample is not needed to get a meaningful figure). A container that is not
 * running answers NoContainerRunning, as Podman 1.9 did.
 */
import { describeError, isSelkieError } from '../../errors.js';
import type { Engine } from '../../engine.js';
import type { ContainerStats } from '../../containers/container-stats.js';
import type { MethodHandler } from '../service.js';
import { isVarlinkError, VarlinkError } from '../varlink-error.js';
import { forContainer, podmanError } from './podman-errors.js';

/** io.podman's ContainerStats struct. */
export interface PodmanContainerStats {
  id: string;
  name: string;
  cpu: number;
  cpu_nano: number;
  system_nano: number;
  mem_usage: number;
  mem_limit: number;
  mem_perc: number;
  net_input: number;
  net_output: number;
  block_output: number;
  block_input: number;
  pids: number;
}

const noContainerRunning = () => new VarlinkError('io.podman.NoContainerRunning', {});

/**
 * The engine's figures in Podman's struct. `system_nano` is the host clock at the sample (what
 * libpod reported); `cpu_nano` is the container's CPU time, estimated from the measured CPU share
 * added to the client's previous figure (the Engine reports the share, not the raw counter).
 */
export function podmanStats(s: ContainerStats, previous?: PodmanContainerStats, nowMs = Date.now()): PodmanContainerStats {
  const systemNano = nowMs * 1_000_000;
  const elapsed = previous && previous.system_nano > 0 ? Math.max(0, systemNano - previous.system_nano) : 0;
  return {
    id: s.ID,
    name: s.Name,
    cpu: s.CPUPerc,
    cpu_nano: previous ? previous.cpu_nano + Math.round((s.CPUPerc / 100) * elapsed) : 0,
    system_nano: systemNano,
    mem_usage: s.MemUsage,
    mem_limit: s.MemLimit,
    mem_perc: s.MemPerc,
    net_input: s.NetInput,
    net_output: s.NetOutput,
    block_output: s.BlockOutput,
    block_input: s.BlockInput,
    pids: s.PIDs,
  };
}

/** Stats of one container; not running (the engine's conflict) → NoContainerRunning. */
async function oneContainer(engine: Engine, name: string, previous?: PodmanContainerStats): Promise<PodmanContainerStats> {
  return forContainer(name, async () => {
    const { Id, State } = await engine.containers.inspect(name);
    if (!State.Running && !State.Paused) throw noContainerRunning();
    let list: ContainerStats[];
    try {
      list = await engine.containers.stats([Id]);
    } catch (e) {
      if (isSelkieError(e) && e.kind === 'conflict') throw noContainerRunning();
      throw e;
    }
    const s = list.find((x) => x.ID === Id);
    if (!s) throw noContainerRunning();
    return podmanStats(s, previous);
  });
}

export function statsMethods(engine: Engine): Record<string, MethodHandler> {
  return {
    GetContainerStats: async (p: { name: string }) => ({ container: await oneContainer(engine, p.name) }),
    // Podman looked the container up by the previous sample's id.
    GetContainerStatsWithHistory: async (p: { previousStats: PodmanContainerStats }) => ({
      container: await oneContainer(engine, p.previousStats.id, p.previousStats),
    }),
    GetPodStats: async (p: { name: string }) => {
      let pod: string;
      let list: (ContainerStats & { Pod: string })[];
      try {
        pod = (await engine.pods.inspect(p.name)).Id;
        list = await engine.pods.stats([pod]);
      } catch (e) {
        if (isVarlinkError(e)) throw e;
        if (isSelkieError(e) && e.kind === 'not-found') throw new VarlinkError('io.podman.PodNotFound', { name: p.name, reason: describeError(e) });
        throw podmanError.errorOccurred(describeError(e));
      }
      if (list.length === 0) throw noContainerRunning();
      return { pod, containers: list.map((s) => podmanStats(s)) };
    },
  };
}
