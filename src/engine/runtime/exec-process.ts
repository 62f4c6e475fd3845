/**
 * The process spec (process.json) of an exec session, as Podman writes it for `runtime exec
 * --process`: the container's own process from its config.json with the session's command,
 * environment, user, working directory and terminal. --privileged grants every capability the host
 * has (its bounding set); otherwise the container's capabilities apply, and a non-root user other
 * than the container's gets none beyond the bounding set.
 */
import fs from 'node:fs';
import { capabilitiesFromMask } from './capabilities.js';
import type { OciProcess } from './oci-types.js';

export interface ExecProcessInput {
  /** The container's process from its config.json. */
  base: OciProcess;
  args: string[];
  /** NAME=value entries that override the container's. */
  env: string[];
  cwd?: string;
  user?: { uid: number; gid: number; additionalGids: number[]; home: string };
  /** The -u the container itself runs with; an exec as that user keeps the container's capabilities. */
  sameUserAsContainer: boolean;
  terminal: boolean;
  privileged: boolean;
}

export function execProcess(i: ExecProcessInput): OciProcess {
  const env = mergeEnv(i.base.env, i.env);
  if (i.user && !i.env.some((e) => e.startsWith('HOME='))) setEnv(env, `HOME=${i.user.home}`);
  const caps = structuredClone(i.base.capabilities);
  if (i.privileged) caps.bounding = hostBoundingSet() ?? caps.bounding;
  caps.inheritable = [];
  const uid = i.user?.uid ?? i.base.user.uid;
  if (uid === 0) {
    caps.effective = [...caps.bounding];
    caps.permitted = [...caps.bounding];
  } else if (!i.sameUserAsContainer) {
    caps.effective = [];
    caps.permitted = [];
    caps.ambient = [];
  }
  return {
    ...i.base,
    terminal: i.terminal,
    args: i.args,
    env,
    cwd: i.cwd || i.base.cwd,
    user: i.user ? { uid: i.user.uid, gid: i.user.gid, additionalGids: i.user.additionalGids, umask: i.base.user.umask } : i.base.user,
    capabilities: caps,
    noNewPrivileges: i.privileged ? false : i.base.noNewPrivileges,
  };
}

/** Later entries win, by name; order of first appearance is kept. */
export function mergeEnv(base: readonly string[], extra: readonly string[]): string[] {
  const out = [...base];
  for (const e of extra) setEnv(out, e);
  return out;
}

function setEnv(env: string[], entry: string): void {
  const name = entry.split('=', 1)[0]!;
  const at = env.findIndex((e) => e.split('=', 1)[0] === name);
  if (at >= 0) env[at] = entry;
  else env.push(entry);
}

function hostBoundingSet(): string[] | undefined {
  try {
    const m = fs.readFileSync('/proc/self/status', 'utf8').match(/^CapBnd:\s*([0-9a-f]+)$/m);
    return m ? capabilitiesFromMask(m[1]!) : undefined;
  } catch {
    return undefined;
  }
}
