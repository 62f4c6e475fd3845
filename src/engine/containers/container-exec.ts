/**
 * `exec`: a new process in a running container, through conmon (runtime/conmon-exec.ts). The
 * process starts from the container's own process in its config.json, with the session's command,
 * environment, user (looked up in the container's /etc/passwd), working directory and terminal.
 * Each session has a directory under the container's run dir; an attached session's is removed
 * when it ends.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { AttachStreams } from '../engine.js';
import { SelkieError, conflict, isSelkieError, usageError } from '../errors.js';
import type { Resources } from '../local/resources.js';
import type { AttachIo } from '../runtime/attach.js';
import { runConmonExec } from '../runtime/conmon-exec.js';
import { runRuntimeExec } from '../runtime/runtime-exec.js';
import { execProcess } from '../runtime/exec-process.js';
import type { OciSpec } from '../runtime/oci-types.js';
import type { ExecOptions, ExecResult } from '../types/container-ops.js';
import { writeBundleFile } from './bundle-file.js';
import { randomId } from '../util/ids.js';
import { removeSmallTree } from '../storage/small-tree-removal.js';
import { containerPaths } from './container-paths.js';
import type { ContainerRecord } from './container-record.js';
import { resolveUser } from './user-lookup.js';

export async function execInContainer(res: Resources, c: ContainerRecord, opts: ExecOptions, streams?: AttachStreams): Promise<ExecResult> {
  if (c.state === 'paused') throw conflict(`container ${c.name} is paused, so nothing can be executed in it`, `unpause it with selkie unpause ${c.name}`);
  if (c.state !== 'running') throw conflict(`container ${c.name} is not running, so nothing can be executed in it`, `start it with selkie start ${c.name}`);
  if (!opts.cmd.length) throw usageError(`exec in container ${c.name} needs a command`, 'give the command after the container name');
  const p = containerPaths(res.paths.graphRoot, res.paths.runRoot, c.id);
  const spec = JSON.parse(fs.readFileSync(p.configJson, 'utf8')) as OciSpec;
  const user = opts.user ? lookupUser(c, spec.root.path, opts.user) : undefined;
  const proc = execProcess({
    base: spec.process,
    args: opts.cmd,
    env: opts.env ?? [],
    cwd: opts.workdir,
    user,
    sameUserAsContainer: !opts.user || opts.user === c.config.user,
    terminal: Boolean(opts.tty),
    privileged: Boolean(opts.privileged),
  });

  const sessionId = randomId();
  const sessionDir = path.join(p.runDir, `exec-${sessionId.slice(0, 12)}`);
  fs.mkdirSync(sessionDir, { recursive: true, mode: 0o700 });
  const processSpec = path.join(sessionDir, 'process.json');
  writeBundleFile(processSpec, JSON.stringify(proc));
  const io: AttachIo | undefined = opts.detach ? undefined : streams?.inheritStdio ? { inherit: true } : { streams: streams ?? {} };
  // A few small files: removed in-process (fs.rmSync's recursive removal loads a module of its own).
  const removeDir = () => removeSmallTree(sessionDir) || fs.rmSync(sessionDir, { recursive: true, force: true });
  try {
    // Attached to the CLI's own stdio without a terminal: the runtime runs it directly (runtime-exec.ts).
    if (io && 'inherit' in io && !opts.tty && process.env.SELKIE_EXEC_VIA_CONMON !== '1') {
      const exitCode = await runRuntimeExec({ runtime: res.runtimeFor(c.config.runtimePath), containerId: c.id, sessionDir, processSpec, stdin: Boolean(opts.interactive) });
      removeDir();
      return { sessionId, exitCode };
    }
    const session = await runConmonExec({
      containerId: c.id,
      name: c.name,
      sessionId,
      runtime: res.runtimeFor(c.config.runtimePath),
      sessionDir,
      processSpec,
      terminal: Boolean(opts.tty),
      stdin: Boolean(opts.interactive),
      attach: io && { io, detachKeys: opts.detachKeys },
    });
    if (!session.done) return { sessionId };
    const exitCode = await session.done;
    if (exitCode !== undefined) removeDir();
    return { sessionId, exitCode };
  } catch (e) {
    removeDir();
    throw e;
  }
}

function lookupUser(c: ContainerRecord, rootfs: string, user: string) {
  try {
    return resolveUser(rootfs, user);
  } catch (e) {
    if (!isSelkieError(e)) throw e;
    throw new SelkieError(e.kind, `exec in container ${c.name}: ${e.message}`, { hint: e.hint, cause: e });
  }
}
