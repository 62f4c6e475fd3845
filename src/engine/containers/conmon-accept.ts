/**
 * conmon relays output only to attach clients it has accept()ed. A client that has connected but
 * is still in the listen backlog when the container starts misses the first output, which happens
 * on a loaded host. conmon is idle between `runtime create` and `runtime start`, so the one new fd
 * in /proc/CONMON/fd after our connect is the accepted client: wait for it before starting.
 */
import fs from 'node:fs';

export function openFdCount(pid: number): number {
  try {
    return fs.readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return -1;
  }
}

export async function waitForAccept(pid: number, before: number, timeoutMs = 2000): Promise<void> {
  if (before < 0) return;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const now = openFdCount(pid);
    if (now < 0 || now > before) return;
    await new Promise((r) => setTimeout(r, 1));
  }
}
