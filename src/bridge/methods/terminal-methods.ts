/**
 * Interactive streams for the page's terminal: containers.attach (the container's own terminal) and
 * containers.exec (a shell in it). Output comes as `data` messages ({stream, text}), the page's
 * `input` requests go to the process's stdin, `cancel` ends the session.
 *
 * A cancelled attach ends the attachment (AttachStreams.signal, a detach): the container is not
 * touched. An exec'd shell must end too, and the Engine has no call for that: the shell is started as
 * `SHELL -s selkie-console-TOKEN`, found again by that token in the container's process list (engine
 * top) and sent SIGHUP (then SIGKILL) by a second exec.
 */
import crypto from 'node:crypto';
import type { Engine } from '../../engine/engine.js';
import { invalid } from '../../engine/errors.js';
import type { TerminalEnd } from '../protocol.js';
import type { MethodContext, MethodTable } from './method-types.js';
import { optNum, optStr, str } from './params.js';
import { terminalStreams, untilCancelled } from './terminal-streams.js';

const MARKER_PREFIX = 'selkie-console-';

function optSize(p: Record<string, unknown>, key: string): number | undefined {
  const v = optNum(p, key);
  if (v !== undefined && (!Number.isInteger(v) || v < 1 || v > 1000)) throw invalid(`bridge request: "${key}" must be a whole number from 1 to 1000`);
  return v;
}

async function attachSession(ctx: MethodContext, p: Record<string, unknown>): Promise<TerminalEnd> {
  const name = str(p, 'name');
  const cols = optSize(p, 'cols');
  const rows = optSize(p, 'rows');
  const io = terminalStreams(ctx, cols && rows ? { cols, rows } : undefined);
  // The page's keys are all for the container: no detach sequence. Cancelling ends the attachment.
  const session = ctx.engine.containers.attach(name, { ...io.streams, signal: ctx.signal }, { detachKeys: '' });
  const outcome = await untilCancelled(session, ctx.signal);
  if (!outcome) {
    io.quiet();
    session.catch(() => undefined);
    return { cancelled: true };
  }
  io.flush();
  return { detached: outcome.value.detached };
}

async function execSession(ctx: MethodContext, p: Record<string, unknown>): Promise<TerminalEnd> {
  const name = str(p, 'name');
  const shell = optStr(p, 'shell') || '/bin/sh';
  const cols = optSize(p, 'cols');
  const rows = optSize(p, 'rows');
  const io = terminalStreams(ctx, cols && rows ? { cols, rows } : undefined);
  const marker = MARKER_PREFIX + crypto.randomBytes(6).toString('hex');
  const session = ctx.engine.containers.exec(name, { cmd: [shell, '-s', marker], tty: true, interactive: true, env: ['TERM=xterm-256color'] }, io.streams);
  const outcome = await untilCancelled(session, ctx.signal);
  if (!outcome) {
    io.quiet();
    session.catch(() => undefined);
    await hangUp(ctx.engine, name, shell, marker, session);
    return { cancelled: true };
  }
  io.flush();
  return { exitCode: outcome.value.exitCode };
}

const delay = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The container PIDs of the processes whose command line carries the marker. */
async function markedPids(engine: Engine, name: string, marker: string): Promise<string[]> {
  const top = await engine.containers.top(name, ['pid', 'args']);
  return top.processes.filter((row) => row.slice(1).join(' ').split(/\s+/).includes(marker)).map((row) => row[0] ?? '').filter((pid) => /^\d+$/.test(pid));
}

/**
 * End a cancelled exec session: SIGHUP to its shell (as closing a terminal does; the kernel hangs up
 * the shell's foreground job too), SIGKILL if it is still there 3 s later. The shell may not have
 * started yet when the page cancels at once: look again a few times. Gives up quietly when the
 * container stopped meanwhile.
 */
export async function hangUp(engine: Engine, name: string, shell: string, marker: string, session: Promise<unknown>): Promise<void> {
  let ended = false;
  void session.then(
    () => (ended = true),
    () => (ended = true),
  );
  const endedWithin = async (ms: number) => {
    for (let waited = 0; !ended && waited < ms; waited += 50) await delay(50);
    return ended;
  };
  try {
    for (const signal of ['HUP', 'KILL']) {
      for (let attempt = 0; attempt < 5; attempt++) {
        if (await endedWithin(0)) return;
        const pids = await markedPids(engine, name, marker);
        if (pids.length) {
          await engine.containers.exec(name, { cmd: [shell, '-c', `kill -${signal} ${pids.join(' ')}`] });
          break;
        }
        if (await endedWithin(400)) return;
      }
      if (await endedWithin(3000)) return;
    }
  } catch {
    // The container stopped or went away: its processes went with it.
  }
}

export const terminalMethods: MethodTable = {
  'containers.attach': { run: attachSession },
  'containers.exec': { run: execSession },
};
