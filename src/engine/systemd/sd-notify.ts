/**
 * `--sdnotify=container|conmon|ignore`: how a container started under a systemd unit (Type=notify)
 * tells systemd it is ready, as Podman does it.
 *
 * - container: conmon gets `--sdnotify-socket=$NOTIFY_SOCKET`; it binds <bundle>/notify/notify.sock,
 *   which the container sees at /run/notify/notify.sock (NOTIFY_SOCKET in its environment), and relays
 *   READY=1 and WATCHDOG=1 from it to the unit's socket. Selkie sends MAINPID=<conmon pid> itself.
 *   The runtime never sees NOTIFY_SOCKET (conmon's environment is filtered), so runc does not proxy it.
 * - conmon: Selkie sends MAINPID=<conmon pid> and READY=1 once the container has started.
 * - ignore: nothing is sent and the container gets no socket.
 *
 * Node has no unix datagram sockets, so the messages are sent with systemd's own `systemd-notify`
 * (always present where systemd is), or `socat` where it is not.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { SelkieError, usageError } from '../errors.js';
import { which } from '../util/which.js';

export type SdNotifyMode = 'container' | 'conmon' | 'ignore';

export const sdNotifyModes: readonly SdNotifyMode[] = ['container', 'conmon', 'ignore'];

let taken: { socket: string | undefined } | undefined;

/**
 * The NOTIFY_SOCKET this process was given, removed from its environment on first use (as
 * sd_notify's unset_environment does), so no runtime or helper started later acts on it itself.
 */
export function takeNotifySocket(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (!taken) {
    taken = { socket: env.NOTIFY_SOCKET || undefined };
    delete env.NOTIFY_SOCKET;
  }
  return taken.socket;
}

/** Where the container finds conmon's notify socket. */
export const containerNotifyDir = '/run/notify';
export const containerNotifySocket = `${containerNotifyDir}/notify.sock`;

/**
 * The mode a container is created with. Podman's default is `container`; without a NOTIFY_SOCKET
 * there is nobody to notify, so the default becomes `ignore` — but asking for `container`
 * explicitly without one is an error (there would be no socket to give the container).
 */
export function resolveSdNotifyMode(requested: string | undefined, notifySocket: string | undefined): SdNotifyMode {
  if (requested !== undefined && !sdNotifyModes.includes(requested as SdNotifyMode)) {
    throw usageError(`invalid --sdnotify "${requested}"`, 'use container, conmon or ignore');
  }
  if (requested === 'container' && !notifySocket) {
    throw usageError('--sdnotify=container needs a NOTIFY_SOCKET: none is set in the environment', 'run it from a systemd unit with Type=notify, or use --sdnotify=conmon or ignore');
  }
  if (requested) return requested as SdNotifyMode;
  return notifySocket ? 'container' : 'ignore';
}

/** What a start needs for the mode: conmon's --sdnotify-socket, the container's env and mount. */
export interface SdNotifyPlan {
  mode: SdNotifyMode;
  /** The unit's socket (absent: nothing to notify). */
  hostSocket?: string;
  conmonSocket?: string;
  env: string[];
  mounts: { destination: string; source: string; options: string[] }[];
}

export function sdNotifyPlan(mode: SdNotifyMode | undefined, notifySocket: string | undefined, bundle: string): SdNotifyPlan {
  const m = mode ?? 'ignore';
  if (m === 'ignore' || !notifySocket) return { mode: m, env: [], mounts: [] };
  if (m === 'conmon') return { mode: m, hostSocket: notifySocket, env: [], mounts: [] };
  if (notifySocket.startsWith('@')) {
    throw new SelkieError('invalid', `--sdnotify=container cannot relay to the abstract socket ${notifySocket}: conmon needs a socket path`, { hint: 'use --sdnotify=conmon' });
  }
  const dir = path.join(bundle, 'notify');
  fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
  fs.chmodSync(dir, 0o755);
  return {
    mode: m,
    hostSocket: notifySocket,
    conmonSocket: notifySocket,
    env: [`NOTIFY_SOCKET=${containerNotifySocket}`],
    mounts: [{ destination: containerNotifyDir, source: dir, options: ['bind', 'rprivate'] }],
  };
}

/** The message Selkie itself sends once the container has started (undefined: none). */
export function startedMessage(plan: SdNotifyPlan, conmonPid: number): string | undefined {
  if (!plan.hostSocket) return undefined;
  if (plan.mode === 'conmon') return `MAINPID=${conmonPid}\nREADY=1`;
  if (plan.mode === 'container') return `MAINPID=${conmonPid}`;
  return undefined;
}

/** Send one sd_notify message (newline-separated assignments) to a NOTIFY_SOCKET. */
export function sendNotify(socket: string, message: string, env: NodeJS.ProcessEnv = process.env): void {
  const assignments = message.split('\n').filter(Boolean);
  const notify = which('systemd-notify', env);
  let r;
  if (notify) {
    // systemd-notify turns --pid into MAINPID and --ready into READY=1; the rest goes as given.
    const args = ['--no-block'];
    for (const a of assignments) {
      if (a === 'READY=1') args.push('--ready');
      else if (a.startsWith('MAINPID=')) args.push(`--pid=${a.slice(8)}`);
      else args.push(a);
    }
    r = spawnSync(notify, args, { env: { ...env, NOTIFY_SOCKET: socket }, encoding: 'utf8', timeout: 10_000 });
  } else {
    const socat = which('socat', env);
    if (!socat) throw new SelkieError('missing-tool', `cannot notify ${socket}: neither systemd-notify nor socat is installed`, { hint: 'install systemd (systemd-notify) or socat' });
    const address = socket.startsWith('@') ? `ABSTRACT-SENDTO:${socket.slice(1)}` : `UNIX-SENDTO:${socket}`;
    r = spawnSync(socat, ['-u', '-', address], { input: assignments.join('\n'), encoding: 'utf8', timeout: 10_000 });
  }
  if (r.error || r.status !== 0) {
    const why = r.error?.message ?? (r.stderr.trim() || `exit status ${r.status}`);
    throw new SelkieError('runtime', `cannot send "${assignments.join(' ')}" to NOTIFY_SOCKET ${socket}: ${why}`, { hint: 'check that the unit\'s notify socket exists (Type=notify, NotifyAccess=all)' });
  }
}

/** After the container started: MAINPID (and READY for conmon mode); a failure is reported, not thrown. */
export function announceStarted(plan: SdNotifyPlan, conmonPid: number, report: (error: string) => void): void {
  const message = startedMessage(plan, conmonPid);
  if (!message || !plan.hostSocket) return;
  try {
    sendNotify(plan.hostSocket, message);
  } catch (e) {
    report((e as Error).message);
  }
}
