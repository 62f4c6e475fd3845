/** `--ulimit type=soft[:hard]` (Docker's syntax; -1 or "unlimited" for no limit). */
import { usageError } from '../errors.js';

export interface Ulimit {
  type: string;
  soft: number;
  hard: number;
}

const UNLIMITED = 2 ** 64 - 1; // RLIM_INFINITY as the OCI spec carries it (uint64)

export function parseUlimit(spec: string): Ulimit {
  const m = /^([a-z]+)=(-?\d+|unlimited)(?::(-?\d+|unlimited))?$/.exec(spec);
  if (!m) throw usageError(`invalid --ulimit "${spec}"`, 'use --ulimit TYPE=SOFT[:HARD], e.g. --ulimit nofile=1024:2048');
  const value = (v: string) => (v === 'unlimited' || v === '-1' ? UNLIMITED : Number(v));
  const soft = value(m[2]!);
  const hard = m[3] === undefined ? soft : value(m[3]);
  if (soft > hard) throw usageError(`invalid --ulimit "${spec}": the soft limit is above the hard limit`);
  return { type: m[1]!, soft, hard };
}
