/**
 * io.podman ExecContainer and Attach: the call must ask for `upgrade`; after the (empty) reply the
 * connection carries Podman's framed stream (virt-stream.ts, framed-io.ts): the client's stdin
 * frames go to the process, its stdout/stderr come back as frames, and a quit frame carries the
 * exit code.
 */
import type { Duplex } from 'node:stream';
import type { Engine } from '../../engine.js';
import { upgradeReply, type CallInfo, type MethodHandler } from '../service.js';
import { framedIo } from './framed-io.js';
import { forContainer, podmanError } from './podman-errors.js';

interface ExecOpts {
  name: string;
  tty: boolean;
  privileged: boolean;
  cmd: string[];
  user?: string;
  workdir?: string;
  env?: string[];
  detachKeys?: string;
}

/** Podman's exit code for an exec or attach that failed before its process ran. */
const ERROR_GENERIC = 125;

export function execMethods(engine: Engine): Record<string, MethodHandler> {
  return {
    ExecContainer: async (p: { opts: ExecOpts }, call: CallInfo) => {
      const o = p.opts;
      if (!call.upgrade) throw podmanError.errorOccurred('client must use upgraded connection to exec');
      const inspect = await forContainer(o.name, () => engine.containers.inspect(o.name));
      if (!inspect.State.Running) throw podmanError.errorOccurred(`exec requires a running container, ${inspect.Id} is ${inspect.State.Status}`);
      if (o.cmd.length === 0) throw podmanError.errorOccurred('exec needs a command (opts.cmd)');
      return upgradeReply({}, (socket) => runExec(engine, inspect.Id, o, socket));
    },
    Attach: async (p: { name: string; detachKeys: string; start: boolean }, call: CallInfo) => {
      if (!call.upgrade) throw podmanError.errorOccurred('client must use upgraded connection to attach');
      const inspect = await forContainer(p.name, () => engine.containers.inspect(p.name));
      if (!p.start && !inspect.State.Running) throw podmanError.errorOccurred('container must be running to attach');
      return upgradeReply({}, (socket) => runAttach(engine, inspect.Id, inspect.State.Running, p.detachKeys, socket));
    },
  };
}

async function runExec(engine: Engine, id: string, o: ExecOpts, socket: Duplex): Promise<void> {
  const io = framedIo(socket);
  let exitCode = ERROR_GENERIC;
  try {
    const r = await engine.containers.exec(
      id,
      { cmd: o.cmd, tty: o.tty, privileged: o.privileged, user: o.user, workdir: o.workdir, env: o.env, detachKeys: o.detachKeys, interactive: true },
      { stdin: io.stdin, stdout: io.stdout, stderr: io.stderr, resize: io.resize },
    );
    exitCode = r.exitCode ?? 0;
  } catch (e) {
    io.stderr.write(`Error: ${(e as Error).message}\n`);
  }
  await io.quit(exitCode);
}

/** Attach to a running container, or start a stopped one attached; the quit frame carries its exit code. */
async function runAttach(engine: Engine, id: string, running: boolean, detachKeys: string, socket: Duplex): Promise<void> {
  const io = framedIo(socket);
  const streams = { stdin: io.stdin, stdout: io.stdout, stderr: io.stderr, resize: io.resize, signal: io.closed };
  let exitCode = ERROR_GENERIC;
  try {
    if (running) {
      const { detached } = await engine.containers.attach(id, streams, { detachKeys: detachKeys || undefined });
      exitCode = detached ? 0 : await engine.containers.wait(id);
    } else {
      await engine.containers.start(id, streams);
      exitCode = await engine.containers.wait(id);
    }
  } catch (e) {
    io.stderr.write(`Error: ${(e as Error).message}\n`);
  }
  await io.quit(exitCode);
}
