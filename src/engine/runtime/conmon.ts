/**
 * Creating a container under conmon, as Podman does: conmon forks itself into the background (the
 * first process writes the daemon's pid to --conmon-pidfile and exits), runs `runtime create`, reports
 * the container's pid — or the runtime's error — as JSON on the sync pipe (_OCI_SYNCPIPE, our stdio
 * fd 3), and then stays as the container's parent: it relays the container's output to the log and
 * the attach socket (<bundle>/attach), writes the exit code to <exit-dir>/<id> and runs the exit
 * command. The CLI may exit once this resolves; the container is created, not started.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { SelkieError, missingTool } from '../errors.js';
import { which } from '../util/which.js';
import { conmonArgs, type ConmonArgsInput } from './conmon-args.js';
import type { OciRuntime } from './oci-runtime.js';
import { createError } from './runtime-error.js';

export { readExitFile, waitForExit, waitForExitFile } from './exit-file.js';

/** conmon's own options (conmon-args.ts) with the runtime object in place of its path and flags. */
export interface ConmonOptions extends Omit<ConmonArgsInput, 'runtimePath' | 'runtimeArgs'> {
  runtime: OciRuntime;
  /** Default: conmon on PATH. */
  conmonPath?: string;
  env?: NodeJS.ProcessEnv;
  /** How long to wait for the runtime's create, in ms; default 240 s (Podman's). */
  createTimeout?: number;
  /** Our own fds 3…3+N-1 (systemd activation sockets) handed on to the container at the same numbers. */
  listenFds?: readonly number[];
}

export interface ConmonStarted {
  /** The container's init process (created, waiting for `runtime start`). */
  pid: number;
  /** The daemonized conmon. */
  conmonPid: number;
  /** conmon's SOCK_SEQPACKET attach socket. */
  attachSocket: string;
  /** conmon's control fifo: "1 ROWS COLS\n" resizes the container's terminal. */
  ctlFifo: string;
}

export function findConmon(env: NodeJS.ProcessEnv = process.env): string {
  const p = which('conmon', env) ?? which('/usr/libexec/podman/conmon', env);
  if (!p) throw missingTool('conmon', 'conmon');
  return p;
}

export async function startConmon(o: ConmonOptions): Promise<ConmonStarted> {
  const conmonPath = o.conmonPath ?? findConmon(o.env);
  const listenFds = o.listenFds ?? [];
  // The activation sockets keep fds 3…; conmon leaves them open for the runtime, which passes them on.
  const runtimeOpts = listenFds.length ? [...(o.runtimeOpts ?? []), `--preserve-fds=${listenFds.length}`] : o.runtimeOpts;
  const args = conmonArgs({ ...o, runtimeOpts, runtimePath: o.runtime.path, runtimeArgs: o.runtime.globalArgs() });
  const syncFd = 3 + listenFds.length;
  for (const f of [o.pidFile, o.conmonPidFile]) fs.rmSync(f, { force: true });

  const passthrough = o.logDriver === 'passthrough';
  const child = spawn(conmonPath, args, {
    // the sync pipe (a socketpair) follows the activation sockets, if any. conmon detaches from 0-2 after forking, except in
    // passthrough mode, where the container writes straight to them.
    stdio: [...(passthrough ? ['inherit', 'inherit', 'inherit'] : ['ignore', 'pipe', 'pipe']), ...listenFds, 'pipe'] as ('inherit' | 'ignore' | 'pipe' | number)[],
    env: { ...conmonEnv(o.env ?? process.env), _OCI_SYNCPIPE: String(syncFd) },
    detached: true, // its own process group: a ctrl-c meant for the CLI does not reach it
  });
  const syncPipe = child.stdio[syncFd] as Readable;
  let output = '';
  for (const s of [child.stdout, child.stderr]) s?.on('data', (d: Buffer) => (output += d.toString()));

  const firstExit = new Promise<number>((resolve, reject) => {
    child.once('error', (e: NodeJS.ErrnoException) =>
      reject(e.code === 'ENOENT' ? missingTool('conmon', 'conmon') : new SelkieError('runtime', `cannot run conmon: ${e.message}`)),
    );
    child.once('exit', (code) => resolve(code ?? 1));
  });
  const checkedExit = firstExit.then(async (code) => {
    if (code === 0) return;
    // It failed before forking, so its output pipes close now; let the last bytes arrive.
    await Promise.race([Promise.all([ended(child.stdout), ended(child.stderr)]), sleep(200)]);
    throw conmonFailed(code, output);
  });
  try {
    const [, message] = await Promise.all([checkedExit, readSyncMessage(syncPipe, o.createTimeout ?? 240_000)]);
    if (message === undefined) throw conmonFailed(undefined, output);
    if (message.data < 0) {
      await o.runtime.delete(o.id, { force: true }).catch(() => {});
      throw createError(o.runtime.name, message.message ?? '');
    }
    return {
      pid: message.data,
      conmonPid: readPid(o.conmonPidFile),
      attachSocket: path.join(o.bundle, 'attach'),
      ctlFifo: path.join(o.bundle, 'ctl'),
    };
  } finally {
    syncPipe.destroy();
    child.stdout?.destroy();
    child.stderr?.destroy();
    child.unref();
  }
}

interface SyncMessage {
  data: number;
  message?: string;
}

/** The first JSON line conmon writes on the sync pipe; undefined if the pipe closes without one. */
function readSyncMessage(pipe: Readable, timeoutMs: number): Promise<SyncMessage | undefined> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => done(new SelkieError('runtime', `conmon did not report within ${timeoutMs / 1000} s`)), timeoutMs);
    const done = (err?: unknown, msg?: SyncMessage) => {
      clearTimeout(timer);
      pipe.off('data', onData);
      pipe.off('close', onClose);
      if (err) reject(err);
      else resolve(msg);
    };
    const onData = (d: Buffer) => {
      buf += d.toString();
      const nl = buf.indexOf('\n');
      if (nl < 0) return;
      try {
        const j = JSON.parse(buf.slice(0, nl)) as SyncMessage;
        if (typeof j.data !== 'number') throw new Error('no "data" field');
        done(undefined, j);
      } catch (e) {
        done(new SelkieError('runtime', `conmon sent an unreadable message: ${buf.slice(0, nl)}`, { cause: e }));
      }
    };
    const onClose = () => done(undefined, undefined);
    pipe.on('data', onData);
    pipe.once('close', onClose);
    pipe.once('error', () => {}); // a reset is the same as a close here
  });
}

function conmonFailed(code: number | undefined, output: string): SelkieError {
  const text = output
    .split('\n')
    .map((l) => l.replace(/^\[conmon:\w\]:?\s*/, '').replace(/^conmon:\s*/, '').trim())
    .filter(Boolean)
    .join('; ');
  const what = code === undefined ? 'conmon exited before reporting the container pid' : `conmon failed (exit status ${code})`;
  return new SelkieError('runtime', text ? `${what}: ${text}` : what, { hint: 'run with --log-level=debug for conmon\'s messages' });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ended = (s: Readable | null) => (s ? new Promise((r) => s.once('close', r)) : Promise.resolve());

function readPid(file: string): number {
  try {
    const n = Number(fs.readFileSync(file, 'utf8').trim());
    return Number.isInteger(n) && n > 0 ? n : 0;
  } catch {
    return 0;
  }
}

/** The caller's environment without what must not leak into containers (as Podman filters it). */
function conmonEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(env)) {
    if (k === 'NOTIFY_SOCKET' || k.startsWith('LISTEN_') || k.startsWith('_OCI_')) continue;
    out[k] = v;
  }
  return out;
}
