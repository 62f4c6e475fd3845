/**
 * One SSH connection shared by every command to the same host (OpenSSH's connection multiplexing):
 * the first command starts a background master (`ssh -f -N -M`, alive ControlPersist seconds after
 * its last use), later commands and a command's extra channels (logs -f, events, exec) open sessions
 * through its control socket instead of a new TCP connection, key exchange and login each time.
 *
 * Control sockets live in SELKIE_SSH_CONTROL_DIR, else $XDG_RUNTIME_DIR/selkie/ssh, else
 * /tmp/selkie-ssh-UID (a 0700 directory of this user). SELKIE_SSH_CONTROL_PERSIST sets the seconds a
 * master outlives its last session (default 60; 0 turns sharing off). Concurrent commands start one
 * master: the starter holds `NAME.starting` (O_EXCL with its pid); the others wait for the socket.
 */
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { SshTarget } from './ssh-stream.js';
import { processAlive } from '../util/process-alive.js';

export interface SshControl {
  /** The control socket (-S) of the host's master. */
  socket: string;
  persistSeconds: number;
}

export function sshControlDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SELKIE_SSH_CONTROL_DIR) return env.SELKIE_SSH_CONTROL_DIR;
  if (env.XDG_RUNTIME_DIR) return path.join(env.XDG_RUNTIME_DIR, 'selkie', 'ssh');
  return path.join(os.tmpdir(), `selkie-ssh-${process.getuid?.() ?? 0}`);
}

/** Where the master for this target is (short: unix socket paths are limited to 107 bytes). */
export function sshControlFor(t: SshTarget, env: NodeJS.ProcessEnv = process.env): SshControl | undefined {
  const persistSeconds = env.SELKIE_SSH_CONTROL_PERSIST === undefined ? 60 : Number(env.SELKIE_SSH_CONTROL_PERSIST);
  if (!(persistSeconds > 0)) return undefined;
  const key = crypto
    .createHash('sha256')
    .update(JSON.stringify([t.user ?? '', t.host, t.port ?? 22, t.identity ?? '', env.SELKIE_SSH_KNOWN_HOSTS ?? '']))
    .digest('hex')
    .slice(0, 16);
  return { socket: path.join(sshControlDir(env), key), persistSeconds };
}

/** A private directory of this user for control sockets; false when it cannot be made safe. */
function privateDir(dir: string): boolean {
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const st = fs.statSync(dir);
    return st.uid === (process.getuid?.() ?? st.uid) && (st.mode & 0o077) === 0;
  } catch {
    return false;
  }
}

/** A master answers on its socket; one left by a master that was killed is removed. */
function socketLive(p: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ path: p });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ECONNREFUSED') fs.rmSync(p, { force: true });
      resolve(false);
    });
  });
}

/**
 * Makes sure a master runs for the target. `ok` when its control socket is there to use; else
 * `error` is ssh's reason when the host could not be reached, and without one, sharing is just not
 * possible here (the caller then connects directly).
 */
export async function ensureSshMaster(ctl: SshControl, baseArgs: readonly string[], host: string): Promise<{ ok: boolean; error?: string }> {
  if (await socketLive(ctl.socket)) return { ok: true };
  if (!privateDir(path.dirname(ctl.socket))) return { ok: false };
  const lock = `${ctl.socket}.starting`;
  let fd: number | undefined;
  try {
    fd = fs.openSync(lock, 'wx', 0o600);
    fs.writeSync(fd, String(process.pid));
  } catch {
    return { ok: await waitForOtherStarter(ctl.socket, lock) };
  }
  try {
    const code = await new Promise<number | null>((resolve) => {
      // -f: backgrounds once logged in, so this exits then; its output goes to a log, never to a pipe
      // of ours that it would hold open for its whole life.
      const child = spawn(
        'ssh',
        [...baseArgs, '-f', '-N', '-o', 'ControlMaster=yes', '-o', `ControlPersist=${ctl.persistSeconds}`, '-S', ctl.socket, '-E', `${ctl.socket}.log`, '--', host],
        { stdio: 'ignore', detached: true },
      );
      child.once('error', () => resolve(null));
      child.once('exit', (c) => resolve(c));
    });
    if (code === 0 && (await socketLive(ctl.socket))) return { ok: true };
    // ssh's own reason (refused, no route, permission denied) from its log, as a direct attempt would say it.
    let said = '';
    try {
      said = fs.readFileSync(`${ctl.socket}.log`, 'utf8').trim().split('\n').filter(Boolean).pop() ?? '';
    } catch {
      // no log
    }
    return { ok: false, error: code === 0 ? undefined : said || `ssh exited with code ${code}` };
  } finally {
    fs.rmSync(`${ctl.socket}.log`, { force: true });
    fs.closeSync(fd);
    fs.rmSync(lock, { force: true });
  }
}

async function waitForOtherStarter(socket: string, lock: string): Promise<boolean> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (await socketLive(socket)) return true;
    let pid = 0;
    try {
      pid = Number(fs.readFileSync(lock, 'utf8'));
    } catch {
      return socketLive(socket); // the starter finished (or failed)
    }
    if (pid > 0 && !processAlive(pid)) {
      fs.rmSync(lock, { force: true }); // a starter that died
      return false;
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  return false;
}

