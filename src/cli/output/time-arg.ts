/** `--since`/`--until` values: RFC 3339 times, unix seconds, or durations ago ("10m", "1h30m", "2s"). */
import { usageError } from '../../engine/errors.js';

export function parseTimeArg(v: string, flag: string, now = Date.now()): number {
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const dur = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+(?:\.\d+)?)s)?$/.exec(v);
  if (dur && v !== '') {
    const ms = (Number(dur[1] ?? 0) * 3600 + Number(dur[2] ?? 0) * 60 + Number(dur[3] ?? 0)) * 1000;
    return now - ms;
  }
  const t = Date.parse(v);
  if (Number.isNaN(t)) throw usageError(`invalid ${flag} "${v}"`, 'use an RFC 3339 time (2024-01-02T13:23:37Z), unix seconds, or a duration like 10m');
  return t;
}
