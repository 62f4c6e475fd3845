/**
 * systemd socket activation: when LISTEN_PID is this process and LISTEN_FDS=N, the listening sockets
 * are fds 3 .. 3+N-1 (named by LISTEN_FDNAMES, colon-separated). The variables are removed from the
 * environment once read, so the processes the service starts (conmon, runtimes) do not see them.
 */

export interface ActivatedSocket {
  fd: number;
  name: string;
}

export const SD_LISTEN_FDS_START = 3;

export function takeActivatedSockets(env: NodeJS.ProcessEnv = process.env, pid = process.pid): ActivatedSocket[] {
  const count = Number(env.LISTEN_FDS ?? '');
  const forUs = env.LISTEN_PID !== undefined && Number(env.LISTEN_PID) === pid;
  const names = (env.LISTEN_FDNAMES ?? '').split(':');
  delete env.LISTEN_FDS;
  delete env.LISTEN_PID;
  delete env.LISTEN_FDNAMES;
  if (!forUs || !Number.isInteger(count) || count <= 0) return [];
  return Array.from({ length: count }, (_, i) => ({ fd: SD_LISTEN_FDS_START + i, name: names[i] || 'unknown' }));
}
