/** `top`: the container's processes (from its cgroup, else `runtime ps --format json`) as a table of descriptors. */
import fs from 'node:fs';
import { SelkieError, conflict } from '../errors.js';
import type { Resources } from '../local/resources.js';
import type { OciSpec } from '../runtime/oci-types.js';
import type { TopResult } from '../types/container-ops.js';
import { cgroupPids } from './cgroup-pids.js';
import { containerPaths } from './container-paths.js';
import type { ContainerRecord } from './container-record.js';
import { canonicalDescriptor, checkDescriptors, defaultDescriptors, descriptors, processTable } from './process-table.js';

export async function topContainer(res: Resources, c: ContainerRecord, names: readonly string[]): Promise<TopResult> {
  const wanted = names.length ? names.flatMap((n) => n.split(/[\s,]+/)).filter(Boolean) : defaultDescriptors;
  checkDescriptors(wanted);
  if (c.state !== 'running' && c.state !== 'paused') throw conflict(`container ${c.name} is not running, so it has no processes`, `start it with selkie start ${c.name}`);
  const pids = cgroupPids(c.pid, c.id) ?? (await runtimePids(res, c));
  const spec = JSON.parse(fs.readFileSync(containerPaths(res.paths.graphRoot, res.paths.runRoot, c.id).configJson, 'utf8')) as OciSpec;
  return { titles: wanted.map((d) => descriptors[canonicalDescriptor(d)]!), processes: processTable(pids, wanted, spec.root.path) };
}

async function runtimePids(res: Resources, c: ContainerRecord): Promise<number[]> {
  const out = await res.runtimeFor(c.config.runtimePath).run(['ps', '--format', 'json', c.id]);
  try {
    return (JSON.parse(out) as number[] | null) ?? [];
  } catch (e) {
    throw new SelkieError('runtime', `cannot list the processes of container ${c.name}: the runtime printed ${out.slice(0, 80)}`, { cause: e });
  }
}
