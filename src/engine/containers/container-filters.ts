/** `ps --filter`: id, name, label, status, ancestor, exited, before, since (Docker's semantics), pod (Podman's). */
import { invalid } from '../errors.js';
import type { ContainerRecord } from './container-record.js';

const statuses = ['created', 'restarting', 'running', 'removing', 'paused', 'exited', 'dead'];

export function containerFilter(
  filters: Record<string, string[]>,
  find: (nameOrId: string) => ContainerRecord,
  imageIdOf: (nameOrId: string) => string | undefined,
): (c: ContainerRecord) => boolean {
  const tests: ((c: ContainerRecord) => boolean)[] = [];
  for (const [key, values] of Object.entries(filters)) {
    const any = (f: (v: string) => (c: ContainerRecord) => boolean) => {
      const fs = values.map(f);
      return (c: ContainerRecord) => fs.some((t) => t(c));
    };
    switch (key) {
      case 'id':
        tests.push(any((v) => (c) => c.id.startsWith(v)));
        break;
      case 'name':
        tests.push(any((v) => {
          const re = new RegExp(v);
          return (c) => re.test(c.name);
        }));
        break;
      case 'label':
        tests.push(any((v) => {
          const [k, val] = v.split('=', 2) as [string, string | undefined];
          return (c) => k in c.config.labels && (val === undefined || c.config.labels[k] === val);
        }));
        break;
      case 'status':
        tests.push(any((v) => {
          if (!statuses.includes(v)) throw invalid(`invalid filter status=${v}`, `valid statuses: ${statuses.join(', ')}`);
          return (c) => (c.state === 'stopped' ? 'exited' : c.state) === v;
        }));
        break;
      case 'ancestor':
        tests.push(any((v) => {
          const id = imageIdOf(v);
          return (c) => c.config.imageId === id || c.config.imageName === v;
        }));
        break;
      case 'exited':
        tests.push(any((v) => (c) => (c.state === 'exited' || c.state === 'stopped') && c.exitCode === Number(v)));
        break;
      case 'before':
        tests.push(any((v) => {
          const ref = find(v);
          return (c) => c.created < ref.created;
        }));
        break;
      case 'since':
        tests.push(any((v) => {
          const ref = find(v);
          return (c) => c.created > ref.created;
        }));
        break;
      case 'pod':
        tests.push(any((v) => (c) => Boolean(c.config.pod) && (c.config.pod!.name === v || c.config.pod!.id.startsWith(v))));
        break;
      default:
        throw invalid(`invalid filter "${key}"`, 'valid container filters: id, name, label, status, ancestor, exited, before, since, pod');
    }
  }
  return (c) => tests.every((t) => t(c));
}
