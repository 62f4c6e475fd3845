/**
 * io.podman pod methods on the Engine: CreatePod, ListPods/GetPod (ListPodData), InspectPod (JSON
 * text), the lifecycle calls (reply: the pod's ID; a member that failed makes PodContainerError),
 * RemovePod, TopPod (GetPodStats is in stats.ts).
 */
import { describeError, isSelkieError } from '../../errors.js';
import type { Engine } from '../../engine.js';
import type { PodActionReport, PodSummary } from '../../types/pod.js';
import type { MethodHandler } from '../service.js';
import { VarlinkError, isVarlinkError } from '../varlink-error.js';
import { podmanError } from './podman-errors.js';

/** Run `f` for the pod `name`; a missing pod is PodNotFound, anything else ErrorOccurred. */
async function forPod<T>(name: string, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    if (isVarlinkError(e)) throw e;
    if (isSelkieError(e) && e.kind === 'not-found') throw new VarlinkError('io.podman.PodNotFound', { name, reason: describeError(e) });
    throw podmanError.errorOccurred(describeError(e));
  }
}

function podData(p: PodSummary) {
  return {
    id: p.Id,
    name: p.Name,
    createdat: p.Created,
    cgroup: p.Cgroup,
    status: p.Status,
    labels: p.Labels ?? {},
    numberofcontainers: String(p.Containers.length),
    containersinfo: p.Containers.map((c) => ({ name: c.Names, id: c.Id, status: c.Status })),
  };
}

/** A lifecycle report as Podman 1.9 answered: the pod ID, or PodContainerError naming the members that failed. */
function answer(name: string, r: PodActionReport) {
  if (r.errors.length) throw new VarlinkError('io.podman.PodContainerError', { podname: name, errors: r.errors.map((e) => ({ containerid: e.container, reason: e.message })) });
  return { pod: r.id };
}

export function podMethods(engine: Engine): Record<string, MethodHandler> {
  const pods = engine.pods;
  const findPod = async (name: string) => {
    const id = (await pods.inspect(name)).Id;
    const p = (await pods.list()).find((x) => x.Id === id);
    if (!p) throw new VarlinkError('io.podman.PodNotFound', { name, reason: `pod ${JSON.stringify(name)} was removed` });
    return p;
  };
  return {
    CreatePod: async (a: { create: { name: string; labels: Record<string, string>; share: string[]; infra: boolean; infraCommand: string; infraImage: string; publish: string[]; cgroupParent: string } }) =>
      forPod(a.create.name, async () => {
        const c = a.create;
        const r = await pods.create({
          name: c.name || undefined,
          labels: c.labels,
          // As Podman 1.9's CreatePod: an infra container only when asked for ("infra": true).
          infra: c.infra,
          infraCommand: c.infraCommand ? c.infraCommand.split(' ') : undefined,
          infraImage: c.infraImage || undefined,
          share: c.share.length ? (c.share as never) : undefined,
          publish: c.publish.length ? c.publish : undefined,
        } as never);
        return { pod: r.id };
      }),
    ListPods: async () => ({ pods: (await pods.list()).map(podData) }),
    GetPod: async (a: { name: string }) => forPod(a.name, async () => ({ pod: podData(await findPod(a.name)) })),
    GetPodsByStatus: async (a: { statuses: string[] }) => ({ pods: (await pods.list()).filter((p) => a.statuses.some((s) => s.toLowerCase() === p.Status.toLowerCase())).map((p) => p.Id) }),
    GetPodsByContext: async (a: { all: boolean; latest: boolean; args: string[] }) => {
      const list = await pods.list();
      if (a.all) return { pods: list.map((p) => p.Id) };
      if (a.latest) return { pods: [...list].sort((x, y) => y.Created.localeCompare(x.Created)).slice(0, 1).map((p) => p.Id) };
      return { pods: await Promise.all(a.args.map((n) => forPod(n, async () => (await pods.inspect(n)).Id))) };
    },
    InspectPod: async (a: { name: string }) => forPod(a.name, async () => ({ pod: JSON.stringify(await pods.inspect(a.name)) })),
    StartPod: async (a: { name: string }) => forPod(a.name, async () => answer(a.name, await pods.start(a.name))),
    StopPod: async (a: { name: string; timeout: number }) => forPod(a.name, async () => answer(a.name, await pods.stop(a.name, { timeout: a.timeout >= 0 ? a.timeout : undefined }))),
    RestartPod: async (a: { name: string }) => forPod(a.name, async () => answer(a.name, await pods.restart(a.name))),
    KillPod: async (a: { name: string; signal: number }) => forPod(a.name, async () => answer(a.name, await pods.kill(a.name, a.signal > 0 ? String(a.signal) : 'SIGTERM'))),
    PausePod: async (a: { name: string }) => forPod(a.name, async () => answer(a.name, await pods.pause(a.name))),
    UnpausePod: async (a: { name: string }) => forPod(a.name, async () => answer(a.name, await pods.unpause(a.name))),
    RemovePod: async (a: { name: string; force: boolean }) => forPod(a.name, async () => ({ pod: (await pods.remove(a.name, { force: a.force })).id })),
    TopPod: async (a: { pod: string; latest: boolean; descriptors: string[] }) =>
      forPod(a.pod, async () => {
        const name = a.latest ? [...(await pods.list())].sort((x, y) => y.Created.localeCompare(x.Created))[0]?.Id : a.pod;
        if (!name) throw new VarlinkError('io.podman.PodNotFound', { name: a.pod, reason: 'there are no pods' });
        const top = await pods.top(name, a.descriptors.length ? a.descriptors : undefined);
        // Podman 1.9 answered tab-separated rows, the header first.
        return { stats: [top.titles.join('\t'), ...top.processes.map((p) => p.join('\t'))] };
      }),
  };
}
