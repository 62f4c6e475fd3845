/**
 * Finding OCI runtimes on the host and choosing the default one that works here: crun where it can
 * run, else runc. crun (1.x) refuses hybrid cgroup hosts whose v2 hierarchy has controllers enabled
 * ("cgroups in hybrid mode not supported"), so there runc is the default. Nothing is cached on disk;
 * the probe is a statfs and a small sysfs read.
 */
import fs from 'node:fs';
import path from 'node:path';
import { SelkieError, missingTool } from '../errors.js';
import { cgroupLayout, type CgroupLayout } from '../system/cgroups.js';
import { which } from '../util/which.js';
import { OciRuntime, runtimeNameOf, type OciRuntimeOptions } from './oci-runtime.js';

/** In order of preference. */
export const KNOWN_RUNTIMES = ['crun', 'runc'] as const;

const RUNTIME_DIRS = ['/usr/bin', '/usr/sbin', '/usr/local/bin', '/usr/local/sbin', '/bin', '/sbin'];

export interface RuntimeChoice {
  name: string;
  path: string;
}

export interface CgroupFacts {
  layout: CgroupLayout;
  /** Controllers enabled in the v2 hierarchy (the unified mount on hybrid hosts). */
  unifiedControllers: string[];
}

export function cgroupFacts(root = '/sys/fs/cgroup'): CgroupFacts {
  const layout = cgroupLayout(root);
  const file = layout === 'hybrid' ? `${root}/unified/cgroup.controllers` : `${root}/cgroup.controllers`;
  let unifiedControllers: string[] = [];
  if (layout !== 'v1') {
    try {
      unifiedControllers = fs.readFileSync(file, 'utf8').trim().split(/\s+/).filter(Boolean);
    } catch {
      // unreadable: treat as none
    }
  }
  return { layout, unifiedControllers };
}

/** Why a runtime cannot run containers on a host with these cgroups, or undefined when it can. */
export function runtimeProblem(name: string, cg: CgroupFacts): string | undefined {
  if (name === 'crun' && cg.layout === 'hybrid' && cg.unifiedControllers.length > 0) {
    return `crun does not support hybrid cgroups with controllers in the v2 hierarchy (${cg.unifiedControllers.join(' ')})`;
  }
  return undefined;
}

/** The path of a runtime given by name (looked up on PATH and the usual directories) or by path. */
export function findRuntime(nameOrPath: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (nameOrPath.includes('/')) return which(nameOrPath, env);
  for (const dir of RUNTIME_DIRS) {
    const p = which(path.join(dir, nameOrPath), env);
    if (p) return p;
  }
  return which(nameOrPath, env);
}

/** Every known runtime installed here (whether or not it works with this host's cgroups). */
export function installedRuntimes(env: NodeJS.ProcessEnv = process.env): RuntimeChoice[] {
  return KNOWN_RUNTIMES.flatMap((name) => {
    const p = findRuntime(name, env);
    return p ? [{ name, path: p }] : [];
  });
}

/**
 * The runtime to use: the requested one (name or path) when given, else the first installed known
 * runtime that works with this host's cgroups.
 */
export function chooseRuntime(requested?: string, opts: { env?: NodeJS.ProcessEnv; cgroups?: CgroupFacts } = {}): RuntimeChoice {
  const env = opts.env ?? process.env;
  if (requested) {
    const p = findRuntime(requested, env);
    if (p) return { name: runtimeNameOf(p), path: p };
    if (requested.includes('/')) {
      throw new SelkieError('missing-tool', `OCI runtime ${requested} does not exist or is not executable`, {
        hint: 'give the path of a runc-compatible runtime, or a name: crun, runc',
      });
    }
    throw missingTool(requested, requested);
  }
  const installed = installedRuntimes(env);
  if (installed.length === 0) throw missingTool('runc', 'runc');
  const cg = opts.cgroups ?? cgroupFacts();
  const working = installed.find((r) => !runtimeProblem(r.name, cg));
  if (working) return working;
  const only = installed[0]!;
  throw new SelkieError('missing-tool', `no OCI runtime that works on this host: ${runtimeProblem(only.name, cg)}`, {
    hint: 'install runc: apt-get install runc',
  });
}

/** chooseRuntime, wrapped for use. */
export function openRuntime(requested: string | undefined, opts: OciRuntimeOptions & { cgroups?: CgroupFacts }): OciRuntime {
  return new OciRuntime(chooseRuntime(requested, { cgroups: opts.cgroups }).path, opts);
}
