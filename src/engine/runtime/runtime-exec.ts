/**
 * An attached exec without a terminal, for a CLI whose own stdio the process may use: the runtime
 * runs it directly (`runc exec --process FILE`) with the CLI's stdin/stdout/stderr as its own, and
 * its exit status is the process's (128+N when killed by signal N). No conmon and no attach helper are
 * needed here — conmon exists to outlive the client (detach, terminals, logs), which this case never
 * does. Podman's behaviour is kept: stdin is /dev/null without -i; a process that cannot start is
 * the runtime error, classified 126/127/125 as for create.
 *
 * The runtime's own complaint goes to stderr too, so stderr is held back until the process runs (the
 * runtime writes the pid file then); after that it passes through as it comes.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SelkieError } from '../errors.js';
import type { OciRuntime } from './oci-runtime.js';
import { createError } from './runtime-error.js';
import { runOnOwnStdio } from '../util/program-runner.js';

export interface RuntimeExecOptions {
  runtime: OciRuntime;
  containerId: string;
  /** The session's directory (process.json is there; the pid file goes there). */
  sessionDir: string;
  processSpec: string;
  /** -i: the process reads the CLI's stdin; else /dev/null. */
  stdin: boolean;
}

export function runRuntimeExec(o: RuntimeExecOptions): Promise<number> {
  const pidFile = path.join(o.sessionDir, 'exec.pid');
  const args = [...o.runtime.globalArgs(), 'exec', '--pid-file', pidFile, '--process', o.processSpec, o.containerId];
  const viaSpawner = runOnOwnStdio([o.runtime.path, ...args], { stdin: o.stdin, holdStderrUntil: pidFile });
  if (viaSpawner) return execThroughSpawner(o, pidFile, viaSpawner);
  return new Promise((resolve, reject) => {
    const child = spawn(o.runtime.path, args, { stdio: [o.stdin ? 'inherit' : 'ignore', 'inherit', 'pipe'] });
    let held: Buffer[] | undefined = [];
    child.stderr.on('data', (d: Buffer) => {
      if (held && !fs.existsSync(pidFile)) {
        held.push(d);
        return;
      }
      if (held) for (const b of held.splice(0)) process.stderr.write(b);
      held = undefined;
      process.stderr.write(d);
    });
    // The runtime passes signals on to the process, and this process waits for its exit: Ctrl-C reaches
    // the runtime from the terminal (same process group); TERM, HUP and QUIT sent to us are forwarded.
    const done = forwardSignals((sig) => child.kill(sig));
    child.once('error', (e: NodeJS.ErrnoException) => {
      done();
      reject(new SelkieError(e.code === 'ENOENT' ? 'missing-tool' : 'runtime', `cannot run the OCI runtime ${o.runtime.path}: ${e.message}`));
    });
    child.once('close', (code, signal) => {
      done();
      const said = held ? Buffer.concat(held).toString('utf8') : '';
      if (held && !fs.existsSync(pidFile) && code !== 0) {
        // It never ran: what the runtime said is the error.
        reject(createError(o.runtime.name, said || `${o.runtime.name} exec exited with status ${code ?? signal}`));
        return;
      }
      if (said) process.stderr.write(said);
      resolve(code ?? 128 + (os.constants.signals[signal as NodeJS.Signals] ?? 0));
    });
  });
}

/** The same through the launcher's spawner, which shares this process's stdio (program-runner.ts). */
async function execThroughSpawner(o: RuntimeExecOptions, pidFile: string, run: NonNullable<ReturnType<typeof runOnOwnStdio>>): Promise<number> {
  const done = forwardSignals((sig) => run.kill(os.constants.signals[sig]));
  let r: Awaited<typeof run.done>;
  try {
    r = await run.done;
  } catch (e) {
    throw new SelkieError((e as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing-tool' : 'runtime', `cannot run the OCI runtime ${o.runtime.path}: ${(e as Error).message}`);
  } finally {
    done();
  }
  const said = r.stderr.toString('utf8');
  if (!fs.existsSync(pidFile) && r.code !== 0) throw createError(o.runtime.name, said || `${o.runtime.name} exec exited with status ${r.code}`);
  if (said) process.stderr.write(said);
  return r.code;
}

/**
 * While the runtime runs the process: Ctrl-C reaches the runtime from the terminal (same process
 * group) and is ignored here; TERM, HUP and QUIT sent to us go to `send`. Returns the undo.
 */
function forwardSignals(send: (sig: 'SIGTERM' | 'SIGHUP' | 'SIGQUIT') => void): () => void {
  const handlers = new Map<NodeJS.Signals, () => void>([['SIGINT', () => undefined]]);
  for (const sig of ['SIGTERM', 'SIGHUP', 'SIGQUIT'] as const) handlers.set(sig, () => send(sig));
  for (const [sig, h] of handlers) process.on(sig, h);
  return () => {
    for (const [sig, h] of handlers) process.off(sig, h);
  };
}
