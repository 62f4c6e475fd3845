/**
 * `image prune`: which images go. Dangling images (no name), or with `all` every image; never one a
 * container uses. Filters as Docker's prune takes them: until=TIME (created before), label=K[=V],
 * label!=K[=V].
 */
import { invalid } from '../errors.js';
import type { ImageRecord } from './image-store.js';
import type { ImagePruneOptions } from '../types/image-ops.js';

export function pruneCandidates(images: readonly ImageRecord[], inUse: ReadonlySet<string>, opts: ImagePruneOptions, now = Date.now()): ImageRecord[] {
  const tests = pruneFilters(opts.filters ?? {}, now);
  const all = opts.all || (opts.filters?.dangling ?? []).includes('false');
  return images.filter((img) => !inUse.has(img.id) && (all || img.names.length === 0) && tests.every((t) => t(img)));
}

type Test = (img: ImageRecord) => boolean;

function pruneFilters(filters: Record<string, string[]>, now: number): Test[] {
  const tests: Test[] = [];
  for (const [key, values] of Object.entries(filters)) {
    switch (key) {
      case 'until': {
        const limits = values.map((v) => untilSeconds(v, now));
        tests.push((img) => limits.every((t) => img.created < t));
        break;
      }
      case 'label':
        tests.push((img) => values.every((v) => hasLabel(img, v)));
        break;
      case 'label!':
        tests.push((img) => values.every((v) => !hasLabel(img, v)));
        break;
      case 'dangling':
        // Podman accepts dangling=true/false here; true is the default, false means --all.
        for (const v of values) if (v !== 'true' && v !== 'false') throw invalid(`invalid filter dangling=${v}`, 'use dangling=true or dangling=false');
        break;
      default:
        throw invalid(`invalid filter "${key}" for image prune`, 'valid filters: until, label, label!, dangling');
    }
  }
  return tests;
}

function hasLabel(img: ImageRecord, v: string): boolean {
  const eq = v.indexOf('=');
  const k = eq < 0 ? v : v.slice(0, eq);
  const labels = img.config.config?.Labels ?? {};
  return k in labels && (eq < 0 || labels[k] === v.slice(eq + 1));
}

/** until=: unix seconds, an RFC 3339 time, or a Go duration ago ("24h", "10m30s"). Unix seconds. */
export function untilSeconds(v: string, now: number): number {
  if (/^\d+(\.\d+)?$/.test(v)) return Number(v);
  const dur = /^(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m)?(?:(\d+(?:\.\d+)?)s)?$/.exec(v);
  if (dur && v !== '') return (now - (Number(dur[1] ?? 0) * 3600 + Number(dur[2] ?? 0) * 60 + Number(dur[3] ?? 0)) * 1000) / 1000;
  const t = Date.parse(v);
  if (Number.isNaN(t)) throw invalid(`invalid filter until=${v}`, 'use unix seconds, an RFC 3339 time or a duration like 24h');
  return t / 1000;
}
