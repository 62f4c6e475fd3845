/**
 * Reads Kubernetes YAML (one or more documents) into KubePods: kind Pod as is, kind Deployment as its
 * pod template (named after the Deployment, as Podman names it "NAME-pod"). Every error names the
 * file, the line and the field, e.g. "pod.yaml:12: spec.containers[0].image: expected a string".
 * Fields Selkie does not support are errors when they would change what runs (valueFrom, other
 * volume types), never silently dropped. The yaml library is loaded on first use, not at start-up.
 */
import type { LineCounter, Node as YamlNode } from 'yaml';
import { invalid } from '../errors.js';
import { yamlLib } from './yaml-lib.js';
import type { KubeContainer, KubePod, KubeVolume } from './kube-types.js';

class Reader {
  constructor(
    private readonly file: string,
    private readonly lines: LineCounter,
  ) {}

  /** The map a field was last looked up in: where a missing field is reported. */
  private lastParent: YamlNode | undefined;

  fail(node: YamlNode | null | undefined, field: string, message: string): never {
    node ??= this.lastParent;
    const line = node?.range ? this.lines.linePos(node.range[0]).line : undefined;
    throw invalid(`${this.file}${line ? `:${line}` : ''}: ${field}: ${message}`, 'fix the Kubernetes YAML and run play kube again');
  }

  /** The child node under `key` of a map node, or undefined. */
  child(node: YamlNode | null | undefined, key: string): YamlNode | undefined {
    if (!Y.isMap(node)) return undefined;
    this.lastParent = node;
    const pair = node.items.find((p) => Y.isScalar(p.key) && p.key.value === key);
    return (pair?.value as YamlNode | null | undefined) ?? undefined;
  }

  map(node: YamlNode | undefined, field: string): YamlNode | undefined {
    if (node === undefined || (Y.isScalar(node) && node.value === null)) return undefined;
    if (!Y.isMap(node)) this.fail(node, field, 'expected a mapping');
    return node;
  }

  list(node: YamlNode | undefined, field: string): YamlNode[] {
    if (node === undefined || (Y.isScalar(node) && node.value === null)) return [];
    if (!Y.isSeq(node)) this.fail(node, field, 'expected a list');
    return node.items as YamlNode[];
  }

  string(node: YamlNode | undefined, field: string, required = false): string | undefined {
    if (node === undefined || (Y.isScalar(node) && node.value === null)) {
      if (required) this.fail(node, field, 'is required');
      return undefined;
    }
    if (!Y.isScalar(node) || (typeof node.value !== 'string' && typeof node.value !== 'number')) this.fail(node, field, 'expected a string');
    return String(node.value);
  }

  number(node: YamlNode | undefined, field: string): number | undefined {
    if (node === undefined) return undefined;
    const v = Y.isScalar(node) ? Number(node.value) : NaN;
    if (!Number.isInteger(v)) this.fail(node, field, 'expected a whole number');
    return v;
  }

  bool(node: YamlNode | undefined, field: string): boolean | undefined {
    if (node === undefined) return undefined;
    if (!Y.isScalar(node) || typeof node.value !== 'boolean') this.fail(node, field, 'expected true or false');
    return node.value;
  }

  strings(node: YamlNode | undefined, field: string): string[] | undefined {
    if (node === undefined) return undefined;
    return this.list(node, field).map((n, i) => this.string(n, `${field}[${i}]`, true)!);
  }

  stringMap(node: YamlNode | undefined, field: string): Record<string, string> {
    const m = this.map(node, field);
    const out: Record<string, string> = {};
    if (!m || !Y.isMap(m)) return out;
    for (const p of m.items) out[String((p.key as { value: unknown }).value)] = this.string(p.value as YamlNode, `${field}.${String((p.key as { value: unknown }).value)}`) ?? '';
    return out;
  }

  /** Refuse keys of `node` outside `known` that would change what runs. */
  only(node: YamlNode | undefined, field: string, known: string[], ignorable: string[] = []): void {
    if (!Y.isMap(node)) return;
    for (const p of node.items) {
      const k = String((p.key as { value: unknown }).value);
      if (!known.includes(k) && !ignorable.includes(k)) this.fail(p.key as YamlNode, `${field}.${k}`, `is not supported by selkie (supported: ${known.join(', ')})`);
    }
  }
}

let Y: typeof import('yaml');

export async function parseKube(text: string, file = 'kube.yaml'): Promise<KubePod[]> {
  Y ??= yamlLib();
  const lines = new Y.LineCounter();
  const docs = Y.parseAllDocuments(text, { lineCounter: lines });
  const r = new Reader(file, lines);
  if (!Array.isArray(docs)) r.fail(undefined, 'document', 'not a YAML stream');
  const pods: KubePod[] = [];
  for (const doc of docs) {
    const err = doc.errors[0];
    if (err) throw invalid(`${file}:${err.linePos?.[0]?.line ?? '?'}: malformed YAML: ${err.message.split('\n')[0]}`);
    const root = doc.contents as YamlNode | null;
    if (root === null || (Y.isScalar(root) && root.value === null)) continue;
    r.map(root, 'document');
    const kind = r.string(r.child(root, 'kind'), 'kind', true);
    const meta = r.map(r.child(root, 'metadata'), 'metadata');
    const name = r.string(r.child(meta, 'name'), 'metadata.name', true)!;
    if (kind === 'Pod') pods.push(readPod(r, name, meta, r.map(r.child(root, 'spec'), 'spec'), 'spec'));
    else if (kind === 'Deployment') {
      const spec = r.map(r.child(root, 'spec'), 'spec');
      const tmpl = r.map(r.child(spec, 'template'), 'spec.template');
      if (!tmpl) r.fail(spec ?? root, 'spec.template', 'is required');
      const tmplMeta = r.map(r.child(tmpl, 'metadata'), 'spec.template.metadata');
      pods.push(readPod(r, `${name}-pod`, tmplMeta ?? meta, r.map(r.child(tmpl, 'spec'), 'spec.template.spec'), 'spec.template.spec'));
    } else if (kind === 'Service' || kind === 'ConfigMap') {
      continue; // a Service describes reachability, which hostPorts give here; nothing to run
    } else r.fail(r.child(root, 'kind'), 'kind', `"${kind}" is not supported (supported: Pod, Deployment, Service)`);
  }
  return pods;
}

function readPod(r: Reader, name: string, meta: YamlNode | undefined, spec: YamlNode | undefined, at: string): KubePod {
  if (!spec) r.fail(meta, at, 'is required');
  r.only(spec, at, ['containers', 'volumes', 'hostname', 'hostNetwork', 'restartPolicy'], ['dnsConfig', 'enableServiceLinks', 'initContainers', 'securityContext', 'terminationGracePeriodSeconds', 'automountServiceAccountToken']);
  const containers = r.list(r.child(spec, 'containers'), `${at}.containers`).map((n, i) => readContainer(r, n, `${at}.containers[${i}]`));
  if (!containers.length) r.fail(spec, `${at}.containers`, 'a pod needs at least one container');
  const volumes = r.list(r.child(spec, 'volumes'), `${at}.volumes`).map((n, i) => readVolume(r, n, `${at}.volumes[${i}]`));
  return {
    name,
    labels: r.stringMap(r.child(meta, 'labels'), 'metadata.labels'),
    annotations: r.stringMap(r.child(meta, 'annotations'), 'metadata.annotations'),
    hostname: r.string(r.child(spec, 'hostname'), `${at}.hostname`),
    hostNetwork: r.bool(r.child(spec, 'hostNetwork'), `${at}.hostNetwork`),
    restartPolicy: r.string(r.child(spec, 'restartPolicy'), `${at}.restartPolicy`),
    containers,
    volumes,
  };
}

function readContainer(r: Reader, n: YamlNode, at: string): KubeContainer {
  r.map(n, at);
  r.only(n, at, ['name', 'image', 'command', 'args', 'workingDir', 'env', 'ports', 'volumeMounts', 'tty', 'stdin', 'securityContext', 'resources'], ['imagePullPolicy', 'terminationMessagePath', 'terminationMessagePolicy', 'livenessProbe', 'readinessProbe']);
  const env = r.list(r.child(n, 'env'), `${at}.env`).map((e, i) => {
    if (r.child(e, 'valueFrom')) r.fail(r.child(e, 'valueFrom'), `${at}.env[${i}].valueFrom`, 'is not supported by selkie: give the value');
    return { name: r.string(r.child(e, 'name'), `${at}.env[${i}].name`, true)!, value: r.string(r.child(e, 'value'), `${at}.env[${i}].value`) ?? '' };
  });
  const ports = r.list(r.child(n, 'ports'), `${at}.ports`).map((p, i) => {
    const f = `${at}.ports[${i}]`;
    const protocol = r.string(r.child(p, 'protocol'), `${f}.protocol`)?.toUpperCase();
    if (protocol && protocol !== 'TCP' && protocol !== 'UDP') r.fail(r.child(p, 'protocol'), `${f}.protocol`, 'expected TCP or UDP');
    const containerPort = r.number(r.child(p, 'containerPort'), `${f}.containerPort`);
    if (containerPort === undefined) r.fail(p, `${f}.containerPort`, 'is required');
    return {
      containerPort,
      hostPort: r.number(r.child(p, 'hostPort'), `${f}.hostPort`),
      hostIP: r.string(r.child(p, 'hostIP'), `${f}.hostIP`),
      protocol: protocol as 'TCP' | 'UDP' | undefined,
      name: r.string(r.child(p, 'name'), `${f}.name`),
    };
  });
  const mounts = r.list(r.child(n, 'volumeMounts'), `${at}.volumeMounts`).map((m, i) => ({
    name: r.string(r.child(m, 'name'), `${at}.volumeMounts[${i}].name`, true)!,
    mountPath: r.string(r.child(m, 'mountPath'), `${at}.volumeMounts[${i}].mountPath`, true)!,
    readOnly: r.bool(r.child(m, 'readOnly'), `${at}.volumeMounts[${i}].readOnly`),
  }));
  const sc = r.map(r.child(n, 'securityContext'), `${at}.securityContext`);
  const caps = r.map(r.child(sc, 'capabilities'), `${at}.securityContext.capabilities`);
  const limits = r.map(r.child(r.map(r.child(n, 'resources'), `${at}.resources`), 'limits'), `${at}.resources.limits`);
  return {
    name: r.string(r.child(n, 'name'), `${at}.name`, true)!,
    image: r.string(r.child(n, 'image'), `${at}.image`, true)!,
    command: r.strings(r.child(n, 'command'), `${at}.command`),
    args: r.strings(r.child(n, 'args'), `${at}.args`),
    workingDir: r.string(r.child(n, 'workingDir'), `${at}.workingDir`),
    env,
    ports,
    volumeMounts: mounts,
    tty: r.bool(r.child(n, 'tty'), `${at}.tty`),
    stdin: r.bool(r.child(n, 'stdin'), `${at}.stdin`),
    securityContext: sc && {
      capabilities: caps && { add: r.strings(r.child(caps, 'add'), `${at}.securityContext.capabilities.add`), drop: r.strings(r.child(caps, 'drop'), `${at}.securityContext.capabilities.drop`) },
      privileged: r.bool(r.child(sc, 'privileged'), `${at}.securityContext.privileged`),
      readOnlyRootFilesystem: r.bool(r.child(sc, 'readOnlyRootFilesystem'), `${at}.securityContext.readOnlyRootFilesystem`),
      runAsUser: r.number(r.child(sc, 'runAsUser'), `${at}.securityContext.runAsUser`),
      runAsGroup: r.number(r.child(sc, 'runAsGroup'), `${at}.securityContext.runAsGroup`),
      allowPrivilegeEscalation: r.bool(r.child(sc, 'allowPrivilegeEscalation'), `${at}.securityContext.allowPrivilegeEscalation`),
    },
    resources: limits && { limits: { memory: r.string(r.child(limits, 'memory'), `${at}.resources.limits.memory`), cpu: r.string(r.child(limits, 'cpu'), `${at}.resources.limits.cpu`) } },
  };
}

function readVolume(r: Reader, n: YamlNode, at: string): KubeVolume {
  r.map(n, at);
  r.only(n, at, ['name', 'hostPath', 'emptyDir', 'persistentVolumeClaim']);
  const hostPath = r.map(r.child(n, 'hostPath'), `${at}.hostPath`);
  const pvc = r.map(r.child(n, 'persistentVolumeClaim'), `${at}.persistentVolumeClaim`);
  const v: KubeVolume = { name: r.string(r.child(n, 'name'), `${at}.name`, true)! };
  if (hostPath) v.hostPath = { path: r.string(r.child(hostPath, 'path'), `${at}.hostPath.path`, true)!, type: r.string(r.child(hostPath, 'type'), `${at}.hostPath.type`) };
  if (r.child(n, 'emptyDir') !== undefined) v.emptyDir = {};
  if (pvc) v.persistentVolumeClaim = { claimName: r.string(r.child(pvc, 'claimName'), `${at}.persistentVolumeClaim.claimName`, true)! };
  if (!v.hostPath && !v.emptyDir && !v.persistentVolumeClaim) r.fail(n, at, 'needs hostPath, emptyDir or persistentVolumeClaim');
  return v;
}
