/**
 * `play kube`: makes the pods a Kubernetes YAML describes, through the Engine interface (so it works
 * the same against a local or a remote engine). Each Pod (or Deployment template) becomes a pod whose
 * infra container publishes the containers' hostPorts; each container is named POD-CONTAINER as
 * Podman names them. hostPath volumes are bind mounts, emptyDir and persistentVolumeClaim named
 * volumes. `down` removes the pods again. A failure removes what this call made for that pod.
 */
import fs from 'node:fs';
import type { Engine } from '../engine.js';
import { invalid } from '../errors.js';
import type { ContainerCreateOptions } from '../types/container.js';
import type { KubeContainer, KubePod, PlayKubeReport } from './kube-types.js';

export async function playKube(engine: Engine, pods: KubePod[], opts: { start?: boolean } = {}): Promise<PlayKubeReport> {
  const report: PlayKubeReport = { pods: [] };
  for (const pod of pods) {
    const publish = pod.containers.flatMap((c) =>
      (c.ports ?? []).filter((p) => p.hostPort).map((p) => `${p.hostIP ? `${p.hostIP}:` : ''}${p.hostPort}:${p.containerPort}/${(p.protocol ?? 'TCP').toLowerCase()}`),
    );
    const created = await engine.pods.create({
      name: pod.name,
      hostname: pod.hostname,
      labels: pod.labels,
      publish,
      network: pod.hostNetwork ? ['host'] : undefined,
    });
    const containers: string[] = [];
    try {
      for (const c of pod.containers) containers.push((await engine.containers.create(containerOptions(pod, c))).id);
      if (opts.start !== false) {
        const started = await engine.pods.start(pod.name);
        if (started.errors.length) throw invalid(`pod ${pod.name} did not start: ${started.errors.map((e) => `${e.container}: ${e.message}`).join('; ')}`);
      }
    } catch (e) {
      await engine.pods.remove(created.id, { force: true }).catch(() => {});
      throw e;
    }
    report.pods.push({ id: created.id, name: pod.name, containers });
  }
  return report;
}

/** Removes the pods the YAML describes (and their containers). Pods that do not exist are skipped. */
export async function playKubeDown(engine: Engine, pods: KubePod[]): Promise<PlayKubeReport> {
  const report: PlayKubeReport = { pods: [] };
  for (const pod of pods) {
    if (!(await engine.pods.exists(pod.name))) continue;
    const removed = await engine.pods.remove(pod.name, { force: true, timeout: 10 });
    report.pods.push({ id: removed.id, name: pod.name, containers: removed.removed });
  }
  return report;
}

function containerOptions(pod: KubePod, c: KubeContainer): ContainerCreateOptions {
  const sc = c.securityContext;
  const user = sc?.runAsUser !== undefined ? `${sc.runAsUser}${sc.runAsGroup !== undefined ? `:${sc.runAsGroup}` : ''}` : undefined;
  return {
    image: c.image,
    name: `${pod.name}-${c.name}`,
    pod: pod.name,
    // Kubernetes' command replaces the image's ENTRYPOINT (and then its CMD), args replace CMD.
    entrypoint: c.command,
    command: c.args,
    workdir: c.workingDir,
    env: (c.env ?? []).map((e) => `${e.name}=${e.value}`),
    tty: c.tty,
    interactive: c.stdin,
    capAdd: sc?.capabilities?.add,
    capDrop: sc?.capabilities?.drop,
    privileged: sc?.privileged,
    readOnly: sc?.readOnlyRootFilesystem,
    noNewPrivileges: sc?.allowPrivilegeEscalation === false,
    user,
    memory: c.resources?.limits?.memory ? kubeBytes(c.resources.limits.memory, `${c.name} resources.limits.memory`) : undefined,
    cpus: c.resources?.limits?.cpu ? kubeCpus(c.resources.limits.cpu, `${c.name} resources.limits.cpu`) : undefined,
    volumes: (c.volumeMounts ?? []).map((m) => {
      const v = pod.volumes.find((x) => x.name === m.name);
      if (!v) throw invalid(`container ${c.name} mounts volume "${m.name}", which the pod does not define`, 'add it under spec.volumes');
      let source: string;
      if (v.hostPath) {
        if (v.hostPath.type === 'DirectoryOrCreate') fs.mkdirSync(v.hostPath.path, { recursive: true });
        else if (v.hostPath.type === 'FileOrCreate' && !fs.existsSync(v.hostPath.path)) fs.writeFileSync(v.hostPath.path, '');
        source = v.hostPath.path;
      } else source = v.persistentVolumeClaim?.claimName ?? `${pod.name}-${v.name}`;
      return `${source}:${m.mountPath}${m.readOnly ? ':ro' : ''}`;
    }),
  };
}

/** A Kubernetes quantity of bytes: 64Mi, 1Gi, 500M, 1e6, 128974848. */
export function kubeBytes(q: string, field: string): number {
  const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|K|M|G|T)?$/.exec(q.trim());
  if (!m) throw invalid(`${field}: invalid quantity "${q}"`, 'use e.g. 64Mi, 1Gi or a number of bytes');
  const unit: Record<string, number> = { '': 1, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4, k: 1e3, K: 1e3, M: 1e6, G: 1e9, T: 1e12 };
  return Math.round(Number(m[1]) * unit[m[2] ?? '']!);
}

/** A Kubernetes CPU quantity: "500m" is half a CPU, "2" two. */
export function kubeCpus(q: string, field: string): number {
  const m = /^(\d+(?:\.\d+)?)(m)?$/.exec(q.trim());
  if (!m) throw invalid(`${field}: invalid CPU quantity "${q}"`, 'use e.g. 500m or 1.5');
  return m[2] ? Number(m[1]) / 1000 : Number(m[1]);
}
