/** io.podman Ps: `podman ps` rows (PsOpts → []PsContainer) from the engine's list and inspect data. */
import type { Engine } from '../../engine.js';
import type { MethodHandler } from '../service.js';
import { mounts, namespaces, ports } from './container-struct.js';
import { humanDuration, rfc3339Nano } from './go-format.js';
import { filterMap } from './images.js';

interface PsOpts {
  all: boolean;
  filters?: string[];
  last?: number;
  latest?: boolean;
  noTrunc?: boolean;
  pod?: boolean;
  quiet?: boolean;
  size?: boolean;
  sort?: string;
  sync?: boolean;
}

export function psMethods(engine: Engine): Record<string, MethodHandler> {
  return {
    Ps: async (p: { opts: PsOpts }) => {
      const o = p.opts;
      const last = o.latest ? 1 : o.last && o.last > 0 ? o.last : undefined;
      const list = await engine.containers.list({ all: o.all || last !== undefined, last, filters: filterMap(o.filters ?? []) });
      const inspected = await Promise.all(list.map((i) => engine.containers.inspect(i.Id).catch(() => undefined)));
      const now = Date.now();
      return {
        containers: list.map((c, n) => {
          const i = inspected[n];
          const running = c.State === 'running' || c.State === 'paused';
          const ns = namespaces(running ? c.Pid : 0);
          return {
            id: c.Id,
            image: c.Image,
            command: c.Command.join(' '),
            created: `${humanDuration(now - c.Created * 1000)} ago`,
            ports: (i ? ports(i.NetworkSettings) : []).map((m) => `${m.host_ip || '0.0.0.0'}:${m.host_port}->${m.container_port}/${m.protocol}`).join(', '),
            names: c.Names[0] ?? '',
            isInfra: false,
            status: c.Status,
            state: c.State,
            pidNum: running ? c.Pid : 0,
            rootFsSize: 0,
            rwSize: 0,
            pod: '',
            createdAt: rfc3339Nano(c.Created),
            exitedAt: rfc3339Nano(c.ExitedAt),
            startedAt: rfc3339Nano(c.StartedAt),
            labels: c.Labels ?? {},
            nsPid: ns.pidns,
            cgroup: ns.cgroup,
            ipc: ns.ipc,
            mnt: ns.mnt,
            net: ns.net,
            pidNs: ns.pidns,
            user: ns.user,
            uts: ns.uts,
            mounts: (i ? mounts(i.Mounts) : []).map((m) => m.destination).join(','),
          };
        }),
      };
    },
  };
}
