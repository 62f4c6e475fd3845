/**
 * Socket activation passed through to the container (sd_listen_fds(3)): when this process was
 * started with LISTEN_FDS=N and LISTEN_PID=<our pid>, its fds 3…3+N-1 are listening sockets. They
 * are handed to conmon at the same numbers (the sync pipe goes after them), conmon keeps them open
 * for the runtime, `runc create --preserve-fds=N` (through conmon's --runtime-opt) passes them to
 * the container's process as fds 3…, and the container's environment says LISTEN_FDS=N,
 * LISTEN_PID=1 (its own pid 1) and LISTEN_FDNAMES as given.
 */

export interface ListenFds {
  /** The inherited fds, 3…3+N-1. */
  fds: number[];
  /** LISTEN_FDS, LISTEN_PID and (when set) LISTEN_FDNAMES for the container. */
  env: string[];
}

export const SD_LISTEN_FDS_START = 3;

let taken = false;

/**
 * The activation sockets, for the first container this process starts only; LISTEN_* leave the
 * environment then, so nothing started later (the runtime, another container) takes them too.
 */
export function takeListenFds(env: NodeJS.ProcessEnv = process.env): ListenFds | undefined {
  if (taken) return undefined;
  taken = true;
  const fds = inheritedListenFds(env);
  for (const k of ['LISTEN_FDS', 'LISTEN_PID', 'LISTEN_FDNAMES']) delete env[k];
  return fds;
}

/** The sockets this process was activated with; undefined when it was not (or they are for another pid). */
export function inheritedListenFds(env: NodeJS.ProcessEnv = process.env, pid = process.pid): ListenFds | undefined {
  const count = Number(env.LISTEN_FDS);
  if (!env.LISTEN_FDS || !Number.isInteger(count) || count <= 0) return undefined;
  if (env.LISTEN_PID !== undefined && env.LISTEN_PID !== String(pid)) return undefined;
  const fds = Array.from({ length: count }, (_, i) => SD_LISTEN_FDS_START + i);
  const out = [`LISTEN_FDS=${count}`, 'LISTEN_PID=1'];
  if (env.LISTEN_FDNAMES) out.push(`LISTEN_FDNAMES=${env.LISTEN_FDNAMES}`);
  return { fds, env: out };
}
