/** `volume ls --filter` and `volume prune --filter`: name, label, label!, driver, dangling, until. */
import { usageError } from '../errors.js';
import type { VolumeRecord } from './volume-store.js';

const known = ['name', 'label', 'label!', 'driver', 'dangling', 'until'];

function labelMatch(labels: Record<string, string>, want: string): boolean {
  const eq = want.indexOf('=');
  if (eq < 0) return want in labels;
  return labels[want.slice(0, eq)] === want.slice(eq + 1);
}

function untilMs(v: string): number {
  if (/^\d+(\.\d+)?$/.test(v)) return Number(v) * 1000;
  const d = /^(\d+)(s|m|h)$/.exec(v);
  if (d) return Date.now() - Number(d[1]) * { s: 1000, m: 60_000, h: 3_600_000 }[d[2] as 's' | 'm' | 'h'];
  const t = Date.parse(v);
  if (Number.isNaN(t)) throw usageError(`invalid until filter "${v}"`, 'give a Unix time, a duration such as 24h, or an RFC 3339 date');
  return t;
}

/** A predicate for the filters; values of one key are alternatives, keys must all match. */
export function volumeFilter(filters: Record<string, string[]>, inUse: (name: string) => boolean): (v: VolumeRecord) => boolean {
  for (const k of Object.keys(filters)) {
    if (!known.includes(k)) throw usageError(`invalid volume filter "${k}"`, `filters: ${known.join(', ')}`);
  }
  for (const d of filters.dangling ?? []) {
    if (!['true', 'false', '1', '0'].includes(d)) throw usageError(`invalid dangling filter "${d}"`, 'use dangling=true or dangling=false');
  }
  const untils = (filters.until ?? []).map(untilMs);
  return (v) => {
    const f = filters;
    if (f.name && !f.name.some((n) => v.name.includes(n))) return false;
    if (f.driver && !f.driver.includes(v.driver)) return false;
    if (f.label && !f.label.every((l) => labelMatch(v.labels, l))) return false;
    if (f['label!'] && f['label!'].some((l) => labelMatch(v.labels, l))) return false;
    if (f.dangling && !f.dangling.some((d) => (d === 'true' || d === '1') === !inUse(v.name))) return false;
    if (untils.length && !untils.every((u) => v.created < u)) return false;
    return true;
  };
}
