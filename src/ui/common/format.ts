/** Numbers and times as the page shows them (SI sizes as podman prints them). */
import { _, fmt } from '../i18n.js';

export function formatBytes(n: number | undefined): string {
  if (n === undefined || !Number.isFinite(n) || n < 0) return '';
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let v = n;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${u === 0 ? v : v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : v.toFixed(0)} ${units[u]}`;
}

/** "3 minutes ago" for a unix time in seconds, relative to `nowMs`. */
export function formatAgo(unixSeconds: number, nowMs = Date.now()): string {
  if (!unixSeconds) return '';
  const s = Math.max(0, Math.round(nowMs / 1000 - unixSeconds));
  if (s < 60) return _('less than a minute ago');
  const steps: [number, string, string][] = [
    [60, '$0 minute ago', '$0 minutes ago'],
    [3600, '$0 hour ago', '$0 hours ago'],
    [86400, '$0 day ago', '$0 days ago'],
  ];
  let pick = steps[0];
  for (const step of steps) if (s >= step[0]) pick = step;
  const n = Math.floor(s / pick[0]);
  return fmt(n === 1 ? pick[1] : pick[2], n);
}

export const formatPercent = (p: number | undefined): string => (p === undefined || !Number.isFinite(p) ? '' : `${p.toFixed(1)} %`);

/** The first 12 hex digits of an ID, without "sha256:". */
export const shortId = (id: string): string => id.replace(/^sha256:/, '').slice(0, 12);
