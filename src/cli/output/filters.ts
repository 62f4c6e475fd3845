/** `--filter key=value` flags into a map of key → values (repeated keys accumulate). */
import { usageError } from '../../engine/errors.js';

export function parseFilters(flags: readonly string[] | undefined): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const f of flags ?? []) {
    const eq = f.indexOf('=');
    if (eq <= 0) throw usageError(`invalid filter "${f}"`, 'use --filter key=value');
    (out[f.slice(0, eq)] ??= []).push(f.slice(eq + 1));
  }
  return out;
}
