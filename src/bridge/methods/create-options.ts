/**
 * The create options the page may send, checked field by field: the dialog's fields map onto
 * ContainerCreateOptions / PodCreateOptions; anything else is refused rather than passed through.
 */
import type { ContainerCreateOptions } from '../../engine/types/container.js';
import type { PodCreateOptions, PodNamespace } from '../../engine/types/pod.js';
import { invalid } from '../../engine/errors.js';
import { optBool, optNum, optStr, optStrList, str } from './params.js';

type Params = Record<string, unknown>;

const containerStringFields = ['name', 'workdir', 'user', 'hostname', 'pod', 'network', 'restart'] as const;
const containerListFields = ['command', 'entrypoint', 'env', 'publish', 'capAdd', 'capDrop', 'volumes', 'uidmap', 'gidmap', 'securityOpt'] as const;
const containerBoolFields = ['tty', 'interactive', 'readOnly', 'noNewPrivileges', 'init', 'privileged'] as const;
const containerNumberFields = ['memory', 'cpus', 'pidsLimit'] as const;
const containerKnown = new Set<string>(['image', 'labels', ...containerStringFields, ...containerListFields, ...containerBoolFields, ...containerNumberFields]);

export function containerCreateOptions(p: Params): ContainerCreateOptions {
  for (const k of Object.keys(p)) if (!containerKnown.has(k)) throw invalid(`bridge request: unknown container option "${k}"`);
  const o: ContainerCreateOptions = { image: str(p, 'image') };
  const rec = o as unknown as Record<string, unknown>;
  for (const k of containerStringFields) {
    const v = optStr(p, k);
    if (v) rec[k] = v;
  }
  for (const k of containerListFields) {
    const v = optStrList(p, k);
    if (v?.length) rec[k] = v;
  }
  for (const k of containerBoolFields) {
    const v = optBool(p, k);
    if (v !== undefined) rec[k] = v;
  }
  for (const k of containerNumberFields) {
    const v = optNum(p, k);
    if (v !== undefined) rec[k] = v;
  }
  if (p.labels !== undefined) o.labels = stringRecord(p.labels, 'labels');
  return o;
}

const namespaces: readonly PodNamespace[] = ['net', 'ipc', 'uts', 'pid', 'cgroup'];

export function podCreateOptions(p: Params): PodCreateOptions {
  const known = new Set(['name', 'publish', 'share', 'hostname', 'labels']);
  for (const k of Object.keys(p)) if (!known.has(k)) throw invalid(`bridge request: unknown pod option "${k}"`);
  const o: PodCreateOptions = {};
  const name = optStr(p, 'name');
  if (name) o.name = name;
  const hostname = optStr(p, 'hostname');
  if (hostname) o.hostname = hostname;
  const publish = optStrList(p, 'publish');
  if (publish?.length) o.publish = publish;
  const share = optStrList(p, 'share');
  if (share) {
    for (const s of share) if (!namespaces.includes(s as PodNamespace)) throw invalid(`bridge request: unknown namespace "${s}" (one of ${namespaces.join(', ')})`);
    o.share = share as PodNamespace[];
  }
  if (p.labels !== undefined) o.labels = stringRecord(p.labels, 'labels');
  return o;
}

function stringRecord(v: unknown, key: string): Record<string, string> {
  if (typeof v !== 'object' || v === null || Array.isArray(v) || !Object.values(v).every((x) => typeof x === 'string')) {
    throw invalid(`bridge request: "${key}" must map names to strings`);
  }
  return { ...(v as Record<string, string>) };
}
