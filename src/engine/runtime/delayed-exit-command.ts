/**
 * conmon's exit command with a delay (`--exit-delay`), and calling it off. An attached `run --rm`
 * releases and removes its container itself as soon as the container exits; conmon's exit command
 * (`selkie container cleanup`, a second full Node process) would only repeat that work. So such a run
 * gives conmon an exit delay, and the CLI, once its own cleanup has succeeded, kills conmon's forked
 * child while it still sleeps before exec'ing the exit command. A CLI that dies before that leaves the
 * exit command to run after the delay, as without this.
 *
 * conmon (ctr_exit.c) closes its fds, forks, and the child sleeps `--exit-delay` seconds before
 * execv(exit command); the parent conmon waits for that child and then exits.
 */
import fs from 'node:fs';

/**
 * Seconds conmon waits before running the exit command of a run whose CLI cleans up itself: long
 * enough for that cleanup on a heavily loaded host (else both run), short for a CLI that was killed.
 */
export const ATTACHED_EXIT_DELAY = 5;

/**
 * Kill conmon's child that is still waiting to run the exit command (it is still conmon's own image
 * then; once it has exec'd the exit command it is left alone). True when one was called off.
 * Only call this after the same work the exit command would do is done: a child that exec'd the exit
 * command between the check and the kill then loses nothing.
 */
export function cancelDelayedExitCommand(conmonPid: number): boolean {
  if (!(conmonPid > 0)) return false;
  const conmonExe = exeOf(conmonPid);
  if (!conmonExe) return false;
  let cancelled = false;
  for (const child of childrenOf(conmonPid)) {
    if (exeOf(child) !== conmonExe) continue; // already the exit command (or not ours)
    try {
      process.kill(child, 'SIGKILL');
      cancelled = true;
    } catch {
      // gone meanwhile
    }
  }
  return cancelled;
}

function exeOf(pid: number): string | undefined {
  try {
    return fs.readlinkSync(`/proc/${pid}/exe`);
  } catch {
    return undefined;
  }
}

/** Direct children of `pid` (/proc/PID/task/PID/children, or a scan of /proc where that is missing). */
function childrenOf(pid: number): number[] {
  try {
    return fs
      .readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .split(' ')
      .filter(Boolean)
      .map(Number);
  } catch {
    const out: number[] = [];
    for (const name of safeReaddir('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      try {
        const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        if (ppid === pid) out.push(Number(name));
      } catch {
        // exited meanwhile
      }
    }
    return out;
  }
}

function safeReaddir(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}
