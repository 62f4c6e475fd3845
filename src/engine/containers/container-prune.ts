/**
 * `container prune`: remove every container that is not running or paused (created, exited,
 * stopped), optionally narrowed by filters as Podman has them: label=K[=V], label!=K[=V], until=TIME.
 * Reports the IDs removed and the bytes their writable layers and bundles held.
 */
import fs from 'node:fs';
import path from 'node:path';
import { invalid } from '../errors.js';
import type { ContainerRecord } from './container-record.js';

const prunable = new Set(['created', 'exited', 'stopped', 'dead']);

export function pruneFilter(filters: Record<string, string[]>, now = Date.now()): (c: ContainerRecord) => boolean {
  const tests: ((c: ContainerRecord) => boolean)[] = [(c) => prunable.has(c.state)];
  const labelTest = (v: string) => {
    const eq = v.indexOf('=');
    const k = eq < 0 ? v : v.slice(0, eq);
    return (c: ContainerRecord) => k in c.config.labels && (eq < 0 || c.config.labels[k] === v.slice(eq + 1));
  };
  for (const [key, values] of Object.entries(filters)) {
    if (key === 'label') {
      const ts = values.map(labelTest);
      tests.push((c) => ts.every((t) => t(c)));
    } else if (key === 'label!') {
      const ts = values.map(labelTest);
      tests.push((c) => !ts.some((t) => t(c)));
    } else if (key === 'until') {
      const limits = values.map((v) => untilTime(v, now));
      tests.push((c) => limits.every((u) => c.created < u));
    } else {
      throw invalid(`invalid container prune filter "${key}"`, 'valid filters: label, label!, until');
    }
  }
  return (c) => tests.every((t) => t(c));
}

/** until=: a unix time (seconds), an RFC 3339 date, or a Go duration before now ("10m", "1h30m"). */
function untilTime(v: string, now: number): number {
  if (/^\d+(\.\d+)?$/.test(v)) return Number(v) * 1000;
  const dur = v.match(/^(\d+(?:\.\d+)?(?:ns|us|\u00b5s|ms|s|m|h))+$/) ? goDuration(v) : undefined;
  if (dur !== undefined) return now - dur;
  const t = Date.parse(v);
  if (Number.isNaN(t)) throw invalid(`invalid until filter "${v}"`, 'give a duration (10m), a unix time or a date (2024-01-02T15:04:05Z)');
  return t;
}

function goDuration(v: string): number {
  const unit: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let ms = 0;
  for (const m of v.matchAll(/(\d+(?:\.\d+)?)(ns|us|\u00b5s|ms|s|m|h)/g)) ms += Number(m[1]) * unit[m[2]!]!;
  return ms;
}

/** Bytes under a directory (not following symlinks); 0 when it does not exist. */
export function diskUsage(dir: string): number {
  let total = 0;
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    try {
      if (e.isDirectory()) total += diskUsage(p);
      else total += fs.lstatSync(p).size;
    } catch {
      // vanished meanwhile
    }
  }
  return total;
}
