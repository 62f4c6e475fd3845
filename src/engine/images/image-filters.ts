/** `images --filter`: dangling, reference, label, before, since, id (Docker's semantics). */
import { invalid } from '../errors.js';
import type { ImageRecord } from './image-store.js';

export type ImageFilter = (img: ImageRecord) => boolean;

export function imageFilter(filters: Record<string, string[]>, resolve: (nameOrId: string) => ImageRecord): ImageFilter {
  const tests: ImageFilter[] = [];
  for (const [key, values] of Object.entries(filters)) {
    const anyOf = (f: (v: string) => ImageFilter): ImageFilter => {
      const fs = values.map(f);
      return (img) => fs.some((t) => t(img));
    };
    switch (key) {
      case 'dangling':
        tests.push(anyOf((v) => {
          if (v !== 'true' && v !== 'false') throw invalid(`invalid filter dangling=${v}`, 'use dangling=true or dangling=false');
          return (img) => (img.names.length === 0) === (v === 'true');
        }));
        break;
      case 'reference':
        tests.push(anyOf((v) => {
          const re = globToRegExp(v);
          return (img) => img.names.some((n) => nameForms(n).some((f) => re.test(f)));
        }));
        break;
      case 'label':
        tests.push(anyOf((v) => {
          const [k, val] = v.split('=', 2) as [string, string | undefined];
          return (img) => {
            const labels = img.config.config?.Labels ?? {};
            return k in labels && (val === undefined || labels[k] === val);
          };
        }));
        break;
      case 'before':
        tests.push(anyOf((v) => {
          const ref = resolve(v);
          return (img) => img.created < ref.created;
        }));
        break;
      case 'since':
        tests.push(anyOf((v) => {
          const ref = resolve(v);
          return (img) => img.created > ref.created;
        }));
        break;
      case 'id':
        tests.push(anyOf((v) => (img) => img.id.startsWith(v.replace(/^sha256:/, ''))));
        break;
      default:
        throw invalid(`invalid filter "${key}"`, 'valid image filters: dangling, reference, label, before, since, id');
    }
  }
  return (img) => tests.every((t) => t(img));
}

/**
 * The forms a stored name answers to in `reference=` and `images NAME`: full, familiar (Docker
 * Hub's), and without the registry (Podman matches localhost/busybox for "busybox"), each with and
 * without the tag.
 */
function nameForms(name: string): string[] {
  const withTags = [name, familiar(name), name.slice(name.indexOf('/') + 1)];
  return [...withTags, ...withTags.map((n) => n.replace(/:[^:/]+$/, ''))];
}

/** docker.io/library/busybox:latest → busybox:latest; localhost/x stays as is. */
function familiar(name: string): string {
  return name.replace(/^docker\.io\/library\//, '').replace(/^docker\.io\//, '');
}

function globToRegExp(glob: string): RegExp {
  const re = glob.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]');
  return new RegExp(`^${re}$`);
}
