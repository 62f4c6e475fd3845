/**
 * Resource limits (rlimits) for a container. Podman's defaults (nofile 1048576, nproc 32768) are
 * clamped to the caller's hard limits: without CAP_SYS_RESOURCE a process cannot raise a hard limit,
 * and the OCI runtime fails on a spec that asks for more. Limits the user asks for are not clamped;
 * asking for more than the host allows is an error that says what the ceiling is.
 */
import { invalid } from '../errors.js';
import type { OciRlimit } from './oci-types.js';

/** A limit as /proc/PID/limits reports it; Infinity for "unlimited". */
export interface Limit {
  soft: number;
  hard: number;
}

export type HostLimits = Partial<Record<string, Limit>>;

/** /proc/PID/limits row titles → RLIMIT_* names. */
const LIMIT_TITLES: Record<string, string> = {
  'Max cpu time': 'RLIMIT_CPU',
  'Max file size': 'RLIMIT_FSIZE',
  'Max data size': 'RLIMIT_DATA',
  'Max stack size': 'RLIMIT_STACK',
  'Max core file size': 'RLIMIT_CORE',
  'Max resident set': 'RLIMIT_RSS',
  'Max processes': 'RLIMIT_NPROC',
  'Max open files': 'RLIMIT_NOFILE',
  'Max locked memory': 'RLIMIT_MEMLOCK',
  'Max address space': 'RLIMIT_AS',
  'Max file locks': 'RLIMIT_LOCKS',
  'Max pending signals': 'RLIMIT_SIGPENDING',
  'Max msgqueue size': 'RLIMIT_MSGQUEUE',
  'Max nice priority': 'RLIMIT_NICE',
  'Max realtime priority': 'RLIMIT_RTPRIO',
  'Max realtime timeout': 'RLIMIT_RTTIME',
};

/** Podman's defaults for root containers. */
export const DEFAULT_RLIMITS: readonly OciRlimit[] = [
  { type: 'RLIMIT_NOFILE', soft: 1048576, hard: 1048576 },
  { type: 'RLIMIT_NPROC', soft: 32768, hard: 32768 },
];

/** Parses the text of /proc/PID/limits. */
export function parseProcLimits(text: string): HostLimits {
  const out: HostLimits = {};
  for (const line of text.split('\n')) {
    const title = Object.keys(LIMIT_TITLES).find((t) => line.startsWith(t + ' '));
    if (!title) continue;
    const [soft, hard] = line.slice(title.length).trim().split(/\s+/);
    if (soft === undefined || hard === undefined) continue;
    out[LIMIT_TITLES[title]!] = { soft: limitValue(soft), hard: limitValue(hard) };
  }
  return out;
}

function limitValue(s: string): number {
  return s === 'unlimited' ? Infinity : Number(s);
}

/** "nofile", "NOFILE", "rlimit_nofile" → "RLIMIT_NOFILE". Throws on unknown names. */
export function normalizeRlimitType(name: string): string {
  const upper = name.trim().toUpperCase();
  const full = upper.startsWith('RLIMIT_') ? upper : `RLIMIT_${upper}`;
  if (!Object.values(LIMIT_TITLES).includes(full)) {
    throw invalid(`unknown ulimit "${name}"`, 'use one of ' + Object.values(LIMIT_TITLES).map((t) => t.slice(7).toLowerCase()).join(', '));
  }
  return full;
}

export interface RlimitInput {
  /** User-requested limits (--ulimit); they replace the defaults of the same type. */
  ulimits?: readonly OciRlimit[];
  host: HostLimits;
  /** Whether the caller may raise hard limits (has CAP_SYS_RESOURCE). */
  canRaise: boolean;
}

export function resolveRlimits({ ulimits = [], host, canRaise }: RlimitInput): OciRlimit[] {
  const requested = ulimits.map((u) => ({ ...u, type: normalizeRlimitType(u.type) }));
  const out: OciRlimit[] = [];
  for (const d of DEFAULT_RLIMITS) {
    if (requested.some((r) => r.type === d.type)) continue;
    const ceiling = canRaise ? Infinity : (host[d.type]?.hard ?? Infinity);
    out.push({ type: d.type, soft: Math.min(d.soft, ceiling), hard: Math.min(d.hard, ceiling) });
  }
  for (const r of requested) {
    if (r.soft > r.hard) {
      throw invalid(`ulimit ${shortName(r.type)}: soft limit ${r.soft} is above the hard limit ${r.hard}`);
    }
    const ceiling = host[r.type]?.hard ?? Infinity;
    if (!canRaise && r.hard > ceiling) {
      throw invalid(
        `ulimit ${shortName(r.type)}=${r.soft}:${r.hard} is above this host's hard limit ${ceiling}`,
        `ask for at most ${ceiling} (raising a hard limit needs CAP_SYS_RESOURCE)`,
      );
    }
    out.push(r);
  }
  return out;
}

const shortName = (type: string) => type.slice('RLIMIT_'.length).toLowerCase();
