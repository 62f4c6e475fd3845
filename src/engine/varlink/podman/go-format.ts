/** Values formatted the way Podman 1.9's Go code printed them (RFC 3339 times, Go durations). */

/** Unix seconds (or an ISO string) → RFC 3339 in UTC without fractions, as Go's time.RFC3339. */
export function rfc3339(time: number | string): string {
  const d = typeof time === 'number' ? new Date(time * 1000) : new Date(time);
  if (Number.isNaN(d.getTime()) || d.getTime() <= 0) return '0001-01-01T00:00:00Z';
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Milliseconds → Go's time.Duration.String(): "1h2m3.5s", "4m0s", "250ms". */
export function goDuration(ms: number): string {
  if (ms <= 0) return '0s';
  if (ms < 1000) return `${trimZeros(ms.toFixed(3))}ms`;
  const totalSeconds = ms / 1000;
  const h = Math.floor(totalSeconds / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  const s = trimZeros((totalSeconds % 60).toFixed(3));
  if (h > 0) return `${h}h${m}m${s}s`;
  if (m > 0) return `${m}m${s}s`;
  return `${s}s`;
}

function trimZeros(n: string): string {
  return n.includes('.') ? n.replace(/\.?0+$/, '') : n;
}

/** RFC 3339 with fractional seconds (Go's time.RFC3339Nano); the zero time for 0. */
export function rfc3339Nano(unixSeconds: number): string {
  if (!unixSeconds || unixSeconds <= 0) return '0001-01-01T00:00:00Z';
  return new Date(unixSeconds * 1000).toISOString().replace(/\.?0*Z$/, 'Z');
}

/** docker/go-units HumanDuration, as `podman ps` shows "Created": "3 minutes", "About an hour". */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  const minutes = Math.floor(ms / 60_000);
  const hours = Math.round(ms / 3_600_000);
  if (seconds < 1) return 'Less than a second';
  if (seconds === 1) return '1 second';
  if (seconds < 60) return `${seconds} seconds`;
  if (minutes === 1) return 'About a minute';
  if (minutes < 60) return `${minutes} minutes`;
  if (hours === 1) return 'About an hour';
  if (hours < 48) return `${hours} hours`;
  if (hours < 24 * 7 * 2) return `${Math.floor(hours / 24)} days`;
  if (hours < 24 * 30 * 2) return `${Math.floor(hours / 24 / 7)} weeks`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24 / 30)} months`;
  return `${Math.floor(hours / 24 / 365)} years`;
}
