/**
 * `generate kube`: the Kubernetes Pod manifest (and with `service`, a NodePort Service) that runs
 * what a pod or a set of containers runs here, such that `kubectl apply` accepts it and `play kube`
 * recreates the same pod. Built from the Engine's inspect data only.
 */
import type { Engine } from '../engine.js';
import { notFound } from '../errors.js';
import type { ContainerInspect } from '../types/container.js';
import { SELKIE_VERSION } from '../version.js';
import { yamlLib } from './yaml-lib.js';

interface Mount {
  Type: string;
  Name?: string;
  Source: string;
  Destination: string;
  RW: boolean;
}

export async function generateKube(engine: Engine, names: string[], opts: { service?: boolean } = {}): Promise<string> {
  const docs: unknown[] = [];
  for (const name of names) {
    let podName: string;
    let hostname: string | undefined;
    let labels: Record<string, string> = {};
    let ports: Record<string, { HostIp: string; HostPort: string }[]> = {};
    let members: ContainerInspect[];
    if (await engine.pods.exists(name)) {
      const pod = await engine.pods.inspect(name);
      podName = pod.Name;
      hostname = pod.Hostname;
      labels = pod.Labels;
      ports = pod.InfraConfig?.PortBindings ?? {};
      members = await Promise.all(pod.Containers.filter((c) => c.Id !== pod.InfraContainerId).map((c) => engine.containers.inspect(c.Id)));
    } else {
      const c = await engine.containers.inspect(name).catch(() => {
        throw notFound('pod or container', name, 'list them with selkie pod ps and selkie ps -a');
      });
      podName = `${c.Name.replace(/^\//, '')}-pod`;
      members = [c];
      ports = portBindingsOf(c);
    }
    const pod = await podManifest(engine, podName, hostname, labels, ports, members);
    docs.push(pod);
    if (opts.service) docs.push(serviceManifest(podName, ports));
  }
  const { stringify } = yamlLib();
  const header = `# Save the output of this file and use kubectl create -f to import\n# it into Kubernetes.\n#\n# Created with selkie-${SELKIE_VERSION}\n`;
  return header + docs.map((d) => stringify(d, { lineWidth: 0 })).join('---\n');
}

function portBindingsOf(c: ContainerInspect): Record<string, { HostIp: string; HostPort: string }[]> {
  const hc = c.HostConfig as unknown as { PortBindings?: Record<string, { HostIp: string; HostPort: string }[]> };
  return hc.PortBindings ?? {};
}

async function podManifest(
  engine: Engine,
  podName: string,
  hostname: string | undefined,
  labels: Record<string, string>,
  ports: Record<string, { HostIp: string; HostPort: string }[]>,
  members: ContainerInspect[],
) {
  const volumes = new Map<string, unknown>();
  const containers = [];
  for (const [i, c] of members.entries()) {
    const image = await engine.images.inspect(c.Image).catch(() => undefined);
    const imageCfg = image?.Config ?? {};
    const own = c.Name.replace(/^\//, '');
    const container: Record<string, unknown> = {
      name: own.startsWith(`${podName}-`) ? own.slice(podName.length + 1) : own,
      image: image?.RepoTags?.[0] ?? c.ImageName,
    };
    const same = (a: string[] | null | undefined, b: string[] | null | undefined) => JSON.stringify(a ?? []) === JSON.stringify(b ?? []);
    if (!same(c.Config.Entrypoint, imageCfg.Entrypoint)) container.command = c.Config.Entrypoint ?? [];
    if (!same(c.Config.Cmd, imageCfg.Cmd) || container.command) container.args = c.Config.Cmd ?? [];
    if (c.Config.WorkingDir && c.Config.WorkingDir !== (imageCfg.WorkingDir || '/')) container.workingDir = c.Config.WorkingDir;
    const skipEnv = new Set([...(imageCfg.Env ?? []), ...c.Config.Env.filter((e) => /^(PATH|TERM|HOSTNAME|HOME|container)=/.test(e))]);
    const env = c.Config.Env.filter((e) => !skipEnv.has(e)).map((e) => ({ name: e.slice(0, e.indexOf('=')), value: e.slice(e.indexOf('=') + 1) }));
    if (env.length) container.env = env;
    // The pod's published ports belong to its network: list them on the first container.
    if (i === 0) {
      const list = Object.entries(ports).flatMap(([key, binds]) => {
        const [port, proto] = key.split('/') as [string, string | undefined];
        return binds.map((b) => ({
          containerPort: Number(port),
          ...(b.HostPort ? { hostPort: Number(b.HostPort) } : {}),
          ...(b.HostIp && b.HostIp !== '0.0.0.0' ? { hostIP: b.HostIp } : {}),
          ...(proto && proto !== 'tcp' ? { protocol: proto.toUpperCase() } : {}),
        }));
      });
      if (list.length) container.ports = list;
    }
    if (c.Config.Tty) container.tty = true;
    if (c.Config.OpenStdin) container.stdin = true;
    const sc: Record<string, unknown> = {};
    const caps: Record<string, string[]> = {};
    if (c.HostConfig.CapAdd.length) caps.add = c.HostConfig.CapAdd;
    if (c.HostConfig.CapDrop.length) caps.drop = c.HostConfig.CapDrop;
    if (Object.keys(caps).length) sc.capabilities = caps;
    if (c.HostConfig.Privileged) sc.privileged = true;
    if (c.HostConfig.ReadonlyRootfs) sc.readOnlyRootFilesystem = true;
    const [u, g] = (c.Config.User || '').split(':');
    if (u && /^\d+$/.test(u)) sc.runAsUser = Number(u);
    if (g && /^\d+$/.test(g)) sc.runAsGroup = Number(g);
    if (Object.keys(sc).length) container.securityContext = sc;
    const limits: Record<string, string> = {};
    if (c.HostConfig.Memory) limits.memory = String(c.HostConfig.Memory);
    if (c.HostConfig.NanoCpus) limits.cpu = `${Math.round(c.HostConfig.NanoCpus / 1e6)}m`;
    if (Object.keys(limits).length) container.resources = { limits };
    const mounts = (c.Mounts as Mount[]).filter((m) => m.Type === 'bind' || m.Type === 'volume');
    if (mounts.length) {
      container.volumeMounts = mounts.map((m) => {
        const volName = m.Type === 'volume' ? `${m.Name}-pvc` : `${m.Source.replace(/[^a-zA-Z0-9]+/g, '-').replace(/^-|-$/g, '').toLowerCase() || 'root'}-host`;
        volumes.set(volName, m.Type === 'volume' ? { name: volName, persistentVolumeClaim: { claimName: m.Name } } : { name: volName, hostPath: { path: m.Source, type: 'Directory' } });
        return { name: volName, mountPath: m.Destination, ...(m.RW ? {} : { readOnly: true }) };
      });
    }
    containers.push(container);
  }
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      annotations: { 'io.selkie.generated': 'true' },
      creationTimestamp: new Date().toISOString(),
      labels: { app: podName, ...labels },
      name: podName,
    },
    spec: {
      containers,
      ...(hostname && hostname !== podName ? { hostname } : {}),
      ...(volumes.size ? { volumes: [...volumes.values()] } : {}),
    },
  };
}

function serviceManifest(podName: string, ports: Record<string, { HostIp: string; HostPort: string }[]>) {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: podName, labels: { app: podName } },
    spec: {
      selector: { app: podName },
      type: 'NodePort',
      ports: Object.entries(ports).flatMap(([key, binds]) => {
        const [port, proto] = key.split('/') as [string, string | undefined];
        return binds.map((b) => ({ name: `${port}-${proto ?? 'tcp'}`, port: Number(port), protocol: (proto ?? 'tcp').toUpperCase(), targetPort: Number(port), ...(Number(b.HostPort) >= 30000 && Number(b.HostPort) <= 32767 ? { nodePort: Number(b.HostPort) } : {}) }));
      }),
    },
  };
}
