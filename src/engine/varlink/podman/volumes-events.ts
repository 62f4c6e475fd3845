/**
 * io.podman volume methods (VolumeCreate, VolumeRemove, GetVolumes, InspectVolume, VolumesPrune),
 * GetEvents (with `more`: every stored event, then new ones as they happen, until the client
 * leaves) and GenerateKube, on the Engine.
 */
import { describeError, isSelkieError } from '../../errors.js';
import type { Engine } from '../../engine.js';
import type { VolumeInspect } from '../../types/volume.js';
import { parseFilters } from '../../../cli/output/filters.js';
import { parseTimeArg } from '../../../cli/output/time-arg.js';
import { liveStream, type CallInfo, type MethodHandler } from '../service.js';
import { isVarlinkError, VarlinkError } from '../varlink-error.js';
import { podmanError } from './podman-errors.js';

async function forVolume<T>(name: string, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    if (isVarlinkError(e)) throw e;
    if (isSelkieError(e) && e.kind === 'not-found') throw new VarlinkError('io.podman.VolumeNotFound', { id: name, reason: describeError(e) });
    throw podmanError.errorOccurred(describeError(e));
  }
}

const volumeStruct = (v: VolumeInspect) => ({ name: v.Name, labels: v.Labels ?? {}, mountPoint: v.Mountpoint, driver: v.Driver, options: v.Options ?? {} });

export function volumeEventMethods(engine: Engine): Record<string, MethodHandler> {
  const vols = engine.volumes;
  return {
    VolumeCreate: async (a: { options: { volumeName: string; driver: string; labels: Record<string, string>; options: Record<string, string> } }) =>
      forVolume(a.options.volumeName, async () => {
        const o = a.options;
        const v = await vols.create({ name: o.volumeName || undefined, driver: o.driver || undefined, labels: o.labels, options: o.options });
        return { volumeName: v.Name };
      }),
    VolumeRemove: async (a: { options: { volumes: string[]; all: boolean; force: boolean } }) => {
      const names = a.options.all ? (await vols.list()).map((v) => v.Name) : a.options.volumes;
      const successes: string[] = [];
      const failures: Record<string, string> = {};
      for (const n of names) {
        try {
          await vols.remove(n, { force: a.options.force });
          successes.push(n);
        } catch (e) {
          failures[n] = describeError(e);
        }
      }
      return { successes, failures };
    },
    GetVolumes: async (a: { args: string[]; all: boolean }) => {
      const list = await vols.list();
      return { volumes: (a.all || a.args.length === 0 ? list : list.filter((v) => a.args.includes(v.Name))).map(volumeStruct) };
    },
    InspectVolume: async (a: { name: string }) => forVolume(a.name, async () => ({ volume: JSON.stringify(await vols.inspect(a.name)) })),
    VolumesPrune: async () => {
      const r = await vols.prune();
      return { prunedNames: r.removed, prunedErrors: r.errors.map((e) => `${e.name}: ${e.message}`) };
    },
    GetEvents: async (a: { filter: string[]; since: string; until: string }, call: CallInfo) => {
      let opts;
      try {
        opts = {
          filters: parseFilters(a.filter),
          since: a.since ? parseTimeArg(a.since, 'since') : undefined,
          until: a.until ? parseTimeArg(a.until, 'until') : undefined,
        };
      } catch (e) {
        throw podmanError.errorOccurred(describeError(e));
      }
      const events = engine.system.events({ ...opts, stream: call.more && !a.until, signal: call.signal });
      return liveStream(
        (async function* () {
          for await (const e of events) yield { events: { id: e.ID, image: e.Image ?? '', name: e.Name, status: e.Status, time: e.Time, type: e.Type } };
        })(),
        () => ({ events: { id: '', image: '', name: '', status: '', time: '', type: '' } }),
      );
    },
    GenerateKube: async (a: { name: string; service: boolean }) => {
      let yaml: string;
      try {
        yaml = await engine.kube.generate([a.name], { service: a.service });
      } catch (e) {
        if (isSelkieError(e) && e.kind === 'not-found') throw podmanError.containerNotFound(a.name, describeError(e));
        throw podmanError.errorOccurred(describeError(e));
      }
      const docs = yaml.split(/^---\s*$/m).map((d) => d.trim()).filter(Boolean);
      const service = docs.filter((d) => /^kind:\s*Service\s*$/m.test(d));
      const pod = docs.filter((d) => !service.includes(d));
      return { pod: { pod: `${pod.join('\n---\n')}\n`, service: service.length ? `${service.join('\n---\n')}\n` : '' } };
    },
  };
}
