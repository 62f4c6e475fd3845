/**
 * `pod ps --filter` as Podman reads it: id, name (substring or regex), label=KEY[=VALUE], status,
 * ctr-names, ctr-ids, ctr-status, ctr-number. Values of one key are OR'ed, keys are AND'ed.
 */
import { usageError } from '../errors.js';
import type { PodSummary } from '../types/pod.js';

type Test = (p: PodSummary, v: string) => boolean;

const matchName = (name: string, v: string) => {
  try {
    return new RegExp(v).test(name);
  } catch {
    return name.includes(v);
  }
};

const tests: Record<string, Test> = {
  id: (p, v) => p.Id.startsWith(v),
  name: (p, v) => matchName(p.Name, v),
  label: (p, v) => {
    const [k, val] = v.split('=', 2) as [string, string | undefined];
    return k in p.Labels && (val === undefined || p.Labels[k] === val);
  },
  status: (p, v) => p.Status.toLowerCase() === v.toLowerCase(),
  'ctr-names': (p, v) => p.Containers.some((c) => matchName(c.Names, v)),
  'ctr-ids': (p, v) => p.Containers.some((c) => c.Id.startsWith(v)),
  'ctr-status': (p, v) => p.Containers.some((c) => c.Status === v),
  'ctr-number': (p, v) => p.Containers.length === Number(v),
};

export function podFilter(filters: Record<string, string[]>): (p: PodSummary) => boolean {
  for (const key of Object.keys(filters)) {
    if (!(key in tests)) throw usageError(`invalid pod filter "${key}"`, `use one of ${Object.keys(tests).join(', ')}`);
  }
  return (p) => Object.entries(filters).every(([k, vs]) => vs.some((v) => tests[k]!(p, v)));
}
