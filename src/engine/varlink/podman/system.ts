/** io.podman GetVersion and GetInfo from the Engine's version and info. */
import fs from 'node:fs';
import type { Engine } from '../../engine.js';
import type { MethodHandler } from '../service.js';
import { rfc3339 } from './go-format.js';

/** The io.podman API generation this service speaks (Podman 1.9's remote_api_version). */
const REMOTE_API_VERSION = 1;

export function systemMethods(engine: Engine): Record<string, MethodHandler> {
  return {
    GetVersion: async () => {
      const v = await engine.system.version();
      return {
        version: v.Client.Version,
        go_version: `node ${v.Client.NodeVersion}`,
        git_commit: v.Client.GitCommit,
        built: builtTime(),
        os_arch: `${v.Client.Os}/${v.Client.Arch}`,
        remote_api_version: REMOTE_API_VERSION,
      };
    },
    GetInfo: async () => {
      const [info, v] = await Promise.all([engine.system.info(), engine.system.version()]);
      const swap = swapInfo();
      return {
        info: {
          host: {
            buildah_version: '',
            distribution: info.host.distribution,
            mem_free: info.host.memFree,
            mem_total: info.host.memTotal,
            swap_free: swap.free,
            swap_total: swap.total,
            arch: info.host.arch,
            cpus: info.host.cpus,
            hostname: info.host.hostname,
            kernel: info.host.kernel,
            os: info.host.os,
            uptime: info.host.uptime,
            eventlogger: 'none',
          },
          registries: info.registries,
          store: {
            containers: info.store.containerStore.number,
            images: info.store.imageStore.number,
            graph_driver_name: info.store.graphDriverName,
            graph_driver_options: '',
            graph_root: info.store.graphRoot,
            graph_status: { backing_filesystem: '', native_overlay_diff: '', supports_d_type: '' },
            run_root: info.store.runRoot,
          },
          podman: {
            compiler: 'esbuild',
            go_version: `node ${v.Client.NodeVersion}`,
            podman_version: v.Client.Version,
            git_commit: v.Client.GitCommit,
          },
        },
      };
    },
  };
}

/** When this selkie was built: the modification time of the running bundle. */
function builtTime(): string {
  try {
    return rfc3339(fs.statSync(process.argv[1] ?? '').mtimeMs / 1000);
  } catch {
    return rfc3339(0);
  }
}

/** SwapTotal and SwapFree of /proc/meminfo, in bytes. */
function swapInfo(): { total: number; free: number } {
  try {
    const text = fs.readFileSync('/proc/meminfo', 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? 0) * 1024;
    return { total: kb('SwapTotal'), free: kb('SwapFree') };
  } catch {
    return { total: 0, free: 0 };
  }
}
