/**
 * io.podman CreateContainer: Podman 1.9's `Create` struct (the CLI's flags as strings, `args` =
 * image then command) turned into the Engine's ContainerCreateOptions. Fields selkie has no
 * equivalent for are refused by name rather than silently dropped.
 */
import type { Engine } from '../../engine.js';
import { invalid } from '../../errors.js';
import type { ContainerCreateOptions } from '../../types/container.js';
import type { MethodHandler } from '../service.js';
import { forContainer, podmanError } from './podman-errors.js';

type Create = Record<string, unknown> & { args: string[] };

/** "512m", "1g", "1024" → bytes (Podman's units, base 1024). */
export function parseByteSize(field: string, v: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?$/i.exec(v.trim());
  if (!m) throw invalid(`create.${field}: invalid size ${JSON.stringify(v)}`, 'use a number of bytes with an optional k, m, g or t suffix');
  const pow = ' kmgt'.indexOf((m[2] || ' ').toLowerCase());
  return Math.round(Number(m[1]) * 1024 ** pow);
}

/** Create fields selkie takes as they are (same meaning, same JSON type). */
const sameName: Record<string, keyof ContainerCreateOptions> = {
  capAdd: 'capAdd', capDrop: 'capDrop', env: 'env', hostname: 'hostname', interactive: 'interactive', tty: 'tty', name: 'name',
  network: 'network', pod: 'pod', privileged: 'privileged', publish: 'publish', publishAll: 'publishAll', securityOpt: 'securityOpt',
  stopSignal: 'stopSignal', stopTimeout: 'stopTimeout', tmpfs: 'tmpfs', uidmap: 'uidmap', gidmap: 'gidmap', subuidname: 'subuidname',
  subgidname: 'subgidname', user: 'user', volume: 'volumes', mount: 'mounts', volumesFrom: 'volumesFrom', workDir: 'workdir', init: 'init',
  readonly: 'readOnly', rm: 'autoRemove', ulimit: 'ulimits', device: 'devices', groupadd: 'groupAdd', addHost: 'addHosts', dnsSearch: 'dnsSearch',
  dnsOpt: 'dnsOptions', ip: 'ip', restart: 'restart', pidsLimit: 'pidsLimit', cpus: 'cpus', cpuShares: 'cpuShares', logDriver: 'logDriver', cidFile: 'cidFile',
};
/** Fields that only steer Podman's CLI (no effect on the container). */
const ignored = new Set(['args', 'detach', 'detachKeys', 'quiet', 'attach', 'pull', 'conmonPidfile']);

export function createOptionsFromPodman(create: Create): ContainerCreateOptions {
  const [image, ...command] = create.args;
  if (!image) throw invalid('create.args must start with the image', 'for example {"create": {"args": ["localhost/busybox", "sleep", "60"]}}');
  const o: Record<string, unknown> = { image, command: command.length ? command : undefined };
  for (const [k, v] of Object.entries(create)) {
    // Go's zero values (what a lenient client leaves in) mean "not given".
    if (v === undefined || v === null || ignored.has(k) || (Array.isArray(v) && v.length === 0) || v === false || v === '') continue;
    const target = sameName[k];
    if (target) o[target] = v;
    else if (k === 'command') o.command = v;
    else if (k === 'entrypoint') o.entrypoint = (v as string).startsWith('[') ? (JSON.parse(v as string) as string[]) : [v as string];
    else if (k === 'dns' || k === 'dnsServers') o.dns = [...((o.dns as string[]) ?? []), ...(v as string[])];
    else if (k === 'label') o.labels = Object.fromEntries((v as string[]).map((l) => [l.split('=')[0]!, l.split('=').slice(1).join('=')]));
    else if (k === 'annotation') o.annotations = Object.fromEntries((v as string[]).map((l) => [l.split('=')[0]!, l.split('=').slice(1).join('=')]));
    else if (k === 'sysctl') o.sysctls = Object.fromEntries((v as string[]).map((l) => [l.split('=')[0]!, l.split('=').slice(1).join('=')]));
    else if (k === 'memory' || k === 'memorySwap' || k === 'shmSize') o[k] = parseByteSize(k, v as string);
    else throw invalid(`create.${k} is not supported by selkie`, 'leave it out of the Create struct');
  }
  return o as unknown as ContainerCreateOptions;
}

export function createContainerMethods(engine: Engine): Record<string, MethodHandler> {
  return {
    CreateContainer: async (p: { create: Create }) => {
      let opts: ContainerCreateOptions;
      try {
        opts = createOptionsFromPodman(p.create);
      } catch (e) {
        throw podmanError.errorOccurred((e as Error).message);
      }
      return forContainer(opts.name ?? opts.image, async () => ({ container: (await engine.containers.create(opts)).id }));
    },
  };
}
