/**
 * conmon relays output only to attach clients it has accept()ed. A client that has connected but
 * is still in the listen backlog when the container starts misses the first output, which happens
 * on a loaded host. conmon is idle between `runtime create` and `runtime start`, so a socket in
 * /proc/CONMON/fd that was not there before our connect is the accepted client: wait for it before
 * starting. (Sockets, not the number of fds: conmon may close others meanwhile, such as its pipes
 * to the runtime it ran, and a count would then wait in vain.)
 */
import fs from 'node:fs';

/** The sockets conmon holds (their "socket:[inode]" names), or undefined if it cannot be read. */
export function conmonSockets(pid: number): Set<string> | undefined {
  let fds: string[];
  try {
    fds = fs.readdirSync(`/proc/${pid}/fd`);
  } catch {
    return undefined;
  }
  const sockets = new Set<string>();
  for (const fd of fds) {
    try {
      const target = fs.readlinkSync(`/proc/${pid}/fd/${fd}`);
      if (target.startsWith('socket:')) sockets.add(target);
    } catch {
      // closed meanwhile
    }
  }
  return sockets;
}

export async function waitForAccept(pid: number, before: Set<string> | undefined, timeoutMs = 2000): Promise<void> {
  if (before === undefined) return;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const now = conmonSockets(pid);
    if (now === undefined) return;
    for (const s of now) if (!before.has(s)) return;
    await new Promise((r) => setTimeout(r, 1));
  }
}
