/** Human-readable sizes and durations as Docker prints them (go-units). */
import { humanDuration } from '../../engine/util/human-duration.js';
import { goUnitsSize } from '../../engine/util/human-size.js';

export { humanDuration };

/** go-units HumanSizeWithPrecision(size, 3): decimal units, 3 significant digits: "2.13MB", "976B". */
export const humanSize = (bytes: number): string => goUnitsSize(bytes, 3);

/** "2 minutes ago" from a unix time in seconds. */
export function ago(unixSeconds: number, now = Date.now() / 1000): string {
  return `${humanDuration(now - unixSeconds)} ago`;
}

/** Go's time.Time String() form Docker shows in CreatedAt: "2024-05-01 10:00:00 +0000 UTC". */
export function goTime(unixSeconds: number): string {
  const d = new Date(unixSeconds * 1000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000 UTC`;
}
