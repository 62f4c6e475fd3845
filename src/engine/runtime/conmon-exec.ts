/**
 * Running a process in a container under conmon, as Podman does (`conmon --exec`): conmon runs
 * `runtime exec --process FILE` and relays the process's stdio to an attach socket in the session's
 * own bundle dir. Three pipes besides stdio, as conmon's environment names them:
 *
 *   _OCI_SYNCPIPE (fd 3, conmon → us): {"data": PID} once the process runs (negative with a
 *     "message" when the runtime failed), then {"data": EXIT_CODE} when it has exited.
 *   _OCI_STARTPIPE (fd 4, us → conmon): a first write lets conmon go on; with --exec-attach a
 *     second write, once we are attached, lets it start the process, so no output is lost.
 *   _OCI_ATTACHPIPE (fd 5, conmon → us, --exec-attach only): {"data": 0} once the socket exists.
 *
 * conmon writes the exit code to <exit-dir>/<container id> too, so every session has its own exit dir.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { SelkieError, missingTool } from '../errors.js';
import { attach, type AttachIo, type AttachSession } from './attach.js';
import { findConmon } from './conmon.js';
import { readExitFile } from './exit-file.js';
import type { OciRuntime } from './oci-runtime.js';
import { createError } from './runtime-error.js';

export interface ConmonExecOptions {
  containerId: string;
  name: string;
  sessionId: string;
  runtime: OciRuntime;
  /** The session's directory: process.json, pid files, attach socket, ctl fifo, exits/. */
  sessionDir: string;
  /** The process spec (exec-process.ts), already written. */
  processSpec: string;
  terminal: boolean;
  stdin: boolean;
  /** Where the process's stdio goes; absent: detached (-d). */
  attach?: { io: AttachIo; detachKeys?: string };
}

export interface ConmonExecSession {
  /** The exec'd process, in the container's namespaces. */
  pid: number;
  /** For attached sessions: the exit code, or undefined when the user detached. */
  done?: Promise<number | undefined>;
}

/** How long the attach helper may wait for conmon's exec attach socket (conmon reports failures sooner). */
const ATTACH_SOCKET_WAIT_MS = 30_000;

interface SyncMessage {
  data: number;
  message?: string;
}

export async function runConmonExec(o: ConmonExecOptions): Promise<ConmonExecSession> {
  const exitDir = path.join(o.sessionDir, 'exits');
  fs.mkdirSync(exitDir, { recursive: true, mode: 0o700 });
  const args = ['--api-version', '1', '-c', o.containerId, '-u', o.sessionId, '-r', o.runtime.path, '-b', o.sessionDir];
  args.push('-p', path.join(o.sessionDir, 'exec.pid'), '-n', o.name, '--exit-dir', exitDir, '--full-attach');
  for (const a of o.runtime.globalArgs()) args.push('--runtime-arg', a);
  args.push('-l', 'none', '--log-level', 'error', '--socket-dir-path', o.sessionDir, '--conmon-pidfile', path.join(o.sessionDir, 'conmon.pid'));
  if (o.terminal) args.push('-t');
  if (o.stdin) args.push('-i');
  args.push('-e', '--exec-process-spec', o.processSpec);
  if (o.attach) args.push('--exec-attach');

  const child = spawn(findConmon(), args, {
    stdio: ['ignore', 'pipe', 'pipe', 'pipe', 'pipe', 'pipe'],
    env: { ...process.env, _OCI_SYNCPIPE: '3', _OCI_STARTPIPE: '4', ...(o.attach ? { _OCI_ATTACHPIPE: '5' } : {}) },
    cwd: o.sessionDir,
    detached: true,
  });
  let output = '';
  for (const s of [child.stdout, child.stderr]) s?.on('data', (d: Buffer) => (output += d.toString()));
  const sync = new MessageReader(child.stdio[3] as Readable);
  const attachPipe = new MessageReader((child.stdio as unknown as (Readable | null)[])[5] ?? null);
  const start = child.stdio[4] as Writable;
  start.on('error', () => {});
  const failed = new Promise<never>((_, reject) => {
    child.once('error', (e: NodeJS.ErrnoException) => reject(e.code === 'ENOENT' ? missingTool('conmon', 'conmon') : new SelkieError('runtime', `cannot run conmon: ${e.message}`)));
    child.once('exit', (code) => {
      if (code !== 0) setTimeout(() => reject(new SelkieError('runtime', `conmon failed to exec in container ${o.name} (exit status ${code}): ${clean(output)}`)), 100);
    });
  });
  failed.catch(() => {});
  const release = () => {
    for (const s of child.stdio) s?.destroy();
    child.unref();
  };

  let session: AttachSession | undefined;
  try {
    start.write('0');
    if (o.attach) {
      // The helper starts while conmon sets up (it retries until the socket listens): two process
      // start-ups overlap instead of following each other. The session dir is new, so no stale socket.
      const giveUp = new AbortController();
      const connecting = attach(path.join(o.sessionDir, 'attach'), o.attach.io, {
        stdin: o.stdin,
        tty: o.terminal,
        detachKeys: o.attach.detachKeys,
        ctlFifo: path.join(o.sessionDir, 'ctl'),
        waitForSocket: ATTACH_SOCKET_WAIT_MS,
        signal: giveUp.signal,
      });
      connecting.catch(() => {});
      const ready = await Promise.race([attachPipe.next(), failed]).catch((e: unknown) => {
        giveUp.abort();
        throw e;
      });
      if (!ready || ready.data < 0) {
        giveUp.abort();
        throw new SelkieError('runtime', `conmon could not set up the exec session in container ${o.name}: ${ready?.message ?? clean(output)}`);
      }
      session = await connecting;
      start.write('1');
    }
    const started = await Promise.race([sync.next(), failed]);
    if (!started) throw new SelkieError('runtime', `conmon exited before the exec session in container ${o.name} started${output ? `: ${clean(output)}` : ''}`);
    if (started.data < 0) throw createError(o.runtime.name, started.message ?? '');
    if (!session) {
      release();
      return { pid: started.data };
    }
    const attached = session;
    const done = (async () => {
      const r = await attached.done;
      if (r.detached) return undefined;
      const exited = await sync.next();
      return exited?.data ?? readExitFile(path.join(exitDir, o.containerId)) ?? -1;
    })().finally(release);
    return { pid: started.data, done };
  } catch (e) {
    session?.stop();
    release();
    throw e;
  }
}

const clean = (text: string) => text.split('\n').map((l) => l.replace(/^\[conmon:\w\]:?\s*/, '').trim()).filter(Boolean).join('; ');

/** JSON lines from one of conmon's pipes, one at a time; undefined once the pipe closed. */
class MessageReader {
  private buf = '';
  private closed = false;
  private waiting?: () => void;

  constructor(pipe: Readable | null) {
    if (!pipe) {
      this.closed = true;
      return;
    }
    pipe.on('data', (d: Buffer) => {
      this.buf += d.toString();
      this.waiting?.();
    });
    const end = () => {
      this.closed = true;
      this.waiting?.();
    };
    pipe.once('close', end);
    pipe.once('error', end);
  }

  async next(): Promise<SyncMessage | undefined> {
    for (;;) {
      const nl = this.buf.indexOf('\n');
      if (nl >= 0) {
        const line = this.buf.slice(0, nl);
        this.buf = this.buf.slice(nl + 1);
        try {
          return JSON.parse(line) as SyncMessage;
        } catch {
          throw new SelkieError('runtime', `conmon sent an unreadable message: ${line}`);
        }
      }
      if (this.closed) return undefined;
      await new Promise<void>((r) => (this.waiting = r));
      this.waiting = undefined;
    }
  }
}
