/**
 * The create dialogs' fields parsed and checked before anything is sent: each parser returns the
 * value or an error message naming what is wrong, so the dialog shows it under the field.
 */
import { ALL_CAPABILITIES } from '../../engine/runtime/capabilities.js';
import { _, fmt } from '../i18n.js';

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };
const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = <T>(error: string): Parsed<T> => ({ ok: false, error });

/** Container and pod names as the engine accepts them (Podman's rule). */
export function parseName(text: string): Parsed<string | undefined> {
  const t = text.trim();
  if (!t) return ok(undefined);
  if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(t)) return fail(fmt('"$0" is not a valid name: use letters, digits, _ . and -, starting with a letter or digit', t));
  return ok(t);
}

/** A command line split like a shell would: spaces separate words, quotes and backslashes group. */
export function parseCommand(text: string): Parsed<string[] | undefined> {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === quote) quote = null;
      else if (ch === '\\' && quote === '"' && i + 1 < text.length && (text[i + 1] === '"' || text[i + 1] === '\\')) word += text[++i];
      else word += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      inWord = true;
    } else if (ch === '\\' && i + 1 < text.length) {
      word += text[++i];
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (quote) return fail(fmt('the command has an unclosed $0 quote', quote));
  if (inWord) words.push(word);
  return ok(words.length ? words : undefined);
}

/** One KEY=VALUE per line (blank lines ignored). */
export function parseEnv(text: string): Parsed<string[]> {
  const out: string[] = [];
  for (const [n, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (!line) continue;
    const eq = line.indexOf('=');
    const key = eq < 0 ? line : line.slice(0, eq);
    if (eq < 0 || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) return fail(fmt('line $0: "$1" is not KEY=VALUE', n + 1, line));
    out.push(line);
  }
  return ok(out);
}

const port = (s: string) => /^\d+$/.test(s) && Number(s) >= 1 && Number(s) <= 65535;

/** Published ports separated by commas or spaces: [IP:][HOSTPORT:]PORT[/tcp|udp], as -p takes them. */
export function parsePorts(text: string): Parsed<string[]> {
  const out: string[] = [];
  for (const entry of text.split(/[\s,]+/).filter(Boolean)) {
    const [spec, proto, ...more] = entry.split('/');
    if (more.length || (proto !== undefined && proto !== 'tcp' && proto !== 'udp')) return fail(fmt('"$0": the protocol must be tcp or udp', entry));
    const parts = spec.split(':');
    const containerPort = parts.pop() ?? '';
    const hostPort = parts.length ? parts.pop() ?? '' : '';
    const ip = parts.join(':');
    if (!port(containerPort)) return fail(fmt('"$0": the container port must be a number from 1 to 65535', entry));
    if (hostPort !== '' && !port(hostPort)) return fail(fmt('"$0": the host port must be a number from 1 to 65535', entry));
    if (ip && !/^[0-9.]+$|^\[?[0-9a-fA-F:]+\]?$/.test(ip)) return fail(fmt('"$0": "$1" is not an IP address', entry, ip));
    out.push(entry);
  }
  return ok(out);
}

const memoryUnits: Record<string, number> = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** A memory limit like "512m", "1g", "1048576" (Docker's units, powers of 1024). At least 6 MiB. */
export function parseMemory(text: string): Parsed<number | undefined> {
  const t = text.trim().toLowerCase();
  if (!t) return ok(undefined);
  const m = /^(\d+(?:\.\d+)?)\s*([bkmg]?)b?$/.exec(t);
  if (!m) return fail(fmt('"$0" is not a size: use a number with b, k, m or g, like 512m', text.trim()));
  const bytes = Math.floor(Number(m[1]) * memoryUnits[m[2]]);
  if (bytes < 6 * 1024 ** 2) return fail(_('the memory limit must be at least 6 MB'));
  return ok(bytes);
}

/** CPUs as a decimal ("0.5", "2"). */
export function parseCpus(text: string): Parsed<number | undefined> {
  const t = text.trim();
  if (!t) return ok(undefined);
  if (!/^\d+(\.\d+)?$/.test(t) || Number(t) <= 0) return fail(fmt('"$0" is not a number of CPUs, like 0.5 or 2', t));
  return ok(Number(t));
}

/** Capability names separated by commas or spaces: "net_admin, CAP_SYS_PTRACE" → CAP_NET_ADMIN, CAP_SYS_PTRACE; "all" → ALL. */
export function parseCapabilities(text: string): Parsed<string[]> {
  const out: string[] = [];
  for (const word of text.split(/[\s,]+/).filter(Boolean)) {
    const upper = word.toUpperCase();
    if (upper === 'ALL') {
      out.push('ALL');
      continue;
    }
    const name = upper.startsWith('CAP_') ? upper : `CAP_${upper}`;
    if (!(ALL_CAPABILITIES as readonly string[]).includes(name)) return fail(fmt('"$0" is not a Linux capability', word));
    if (!out.includes(name)) out.push(name);
  }
  return ok(out);
}

const MAX_ID = 2 ** 32 - 1;

/**
 * User-namespace ID mappings as --uidmap/--gidmap take them: CONTAINER_ID:HOST_ID:SIZE, several
 * separated by commas or spaces ("0:100000:65536"); ranges may not overlap on either side.
 */
export function parseIdMappings(text: string): Parsed<string[]> {
  const out: string[] = [];
  const ranges: [number, number, number][] = [];
  for (const entry of text.split(/[\s,]+/).filter(Boolean)) {
    const fields = entry.split(':');
    if (fields.length !== 3 || !fields.every((f) => /^\d+$/.test(f))) return fail(fmt('"$0" is not CONTAINER_ID:HOST_ID:SIZE, like 0:100000:65536', entry));
    const [c, h, size] = fields.map(Number) as [number, number, number];
    if (size < 1) return fail(fmt('"$0": the size must be at least 1', entry));
    if (c + size - 1 > MAX_ID || h + size - 1 > MAX_ID) return fail(fmt('"$0": IDs go up to $1 only', entry, MAX_ID));
    for (const [oc, oh, osize] of ranges) {
      if (c < oc + osize && oc < c + size) return fail(fmt('"$0": its container IDs overlap those of $1:$2:$3', entry, oc, oh, osize));
      if (h < oh + osize && oh < h + size) return fail(fmt('"$0": its host IDs overlap those of $1:$2:$3', entry, oc, oh, osize));
    }
    ranges.push([c, h, size]);
    out.push(entry);
  }
  return ok(out);
}

export type RestartPolicyName = 'no' | 'on-failure' | 'always' | 'unless-stopped';
export const restartPolicies: readonly RestartPolicyName[] = ['no', 'on-failure', 'always', 'unless-stopped'];

/** The --restart value: the policy, with on-failure's maximum retry count ("" or 0: no limit). */
export function parseRestartPolicy(policy: string, retries: string): Parsed<string | undefined> {
  if (!(restartPolicies as readonly string[]).includes(policy)) return fail(fmt('"$0" is not a restart policy', policy));
  const n = retries.trim();
  if (policy !== 'on-failure') return ok(policy === 'no' ? undefined : policy);
  if (!n || n === '0') return ok('on-failure');
  if (!/^\d+$/.test(n)) return fail(fmt('"$0" is not a number of retries: use a whole number, or leave it empty for no limit', n));
  return ok(`on-failure:${Number(n)}`);
}
