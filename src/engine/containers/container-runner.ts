/**
 * The sequences that run a container: start (mount, bundle, conmon, attach, runtime start), wait,
 * stop, kill and cleanup, and `sync`, which brings a record up to date from conmon's exit file.
 * State changes are conditional transitions, so concurrent CLIs (and conmon's exit command) agree.
 */
import fs from 'node:fs';
import type { AttachStreams } from '../engine.js';
import { SelkieError, isSelkieError } from '../errors.js';
import type { Resources } from '../local/resources.js';
import { attachToContainer } from '../runtime/attach.js';
import { readExitFile, startConmon, waitForExitFile } from '../runtime/conmon.js';
import { generateSpec } from '../runtime/oci-spec.js';
import { writeFileAtomic } from '../util/atomic-file.js';
import type { ContainerRecord } from './container-record.js';
import { containerPaths } from './container-paths.js';
import { beginRun, claimRelease } from './run-claim.js';
import { initBinary } from './init-binary.js';
import { openFdCount, waitForAccept } from './conmon-accept.js';
import { writeEtcFiles } from './etc-files.js';
import { resolveUser } from './user-lookup.js';

export class ContainerRunner {
  constructor(private readonly res: Resources) {}

  private paths(c: ContainerRecord) {
    return containerPaths(this.res.paths.graphRoot, this.res.paths.runRoot, c.id);
  }

  async start(c: ContainerRecord, streams?: AttachStreams): Promise<void> {
    const store = await this.res.containers();
    const storage = await this.res.storage();
    const runtime = this.res.runtimeFor(c.config.runtimePath);
    const p = this.paths(c);
    // A container that ran before: clear its old runtime state and exit file first.
    await runtime.delete(c.id, { force: true }).catch(() => {});
    fs.rmSync(p.exitFile, { force: true });
    const run = beginRun(p.runDir);
    fs.mkdirSync(p.exitDir, { recursive: true, mode: 0o700 });
    fs.mkdirSync(p.persistDir, { recursive: true, mode: 0o700 });

    const rootfs = await storage.mount(c.id);
    try {
      const cfg = c.config;
      const user = resolveUser(rootfs, cfg.user);
      const etc = writeEtcFiles(p.userdata, { hostname: cfg.hostname, network: cfg.network });
      const spec = generateSpec({
        args: cfg.init ? ['/dev/init', '--', ...cfg.args] : cfg.args,
        env: cfg.env,
        cwd: cfg.workdir,
        uid: user.uid,
        gid: user.gid,
        additionalGids: user.additionalGids,
        terminal: cfg.tty,
        hostname: cfg.hostname,
        rootfs,
        networkNamespace: cfg.network === 'host' ? 'host' : 'new',
        mounts: [
          { destination: '/etc/hostname', source: etc.hostname, options: ['bind', 'rprivate', 'ro'] },
          { destination: '/etc/hosts', source: etc.hosts, options: ['bind', 'rprivate'] },
          { destination: '/etc/resolv.conf', source: etc.resolvConf, options: ['bind', 'rprivate'] },
          ...(cfg.init ? [{ destination: '/dev/init', source: initBinary(), options: ['bind', 'ro'] }] : []),
          ...(cfg.mounts ?? []).map((m) => ({ destination: m.destination, source: m.source, type: m.type, options: m.options })),
        ],
        annotations: cfg.annotations,
        capAdd: cfg.capAdd,
        capDrop: cfg.capDrop,
        privileged: cfg.privileged,
        readonly: cfg.readOnly,
        ulimits: cfg.ulimits,
        sysctls: cfg.sysctls,
        shmSize: cfg.shmSize,
        noNewPrivileges: cfg.noNewPrivileges,
        memoryLimit: cfg.memory,
        memorySwap: cfg.memorySwap,
        cpus: cfg.cpus,
        cpuShares: cfg.cpuShares,
        pidsLimit: cfg.pidsLimit,
        cgroupsPath: `/selkie/${c.id}`,
      });
      writeFileAtomic(p.configJson, JSON.stringify(spec));
      fs.writeFileSync(cfg.logPath, '', { flag: 'a' });

      const started = await startConmon({
        id: c.id,
        name: c.name,
        runtime,
        bundle: p.userdata,
        pidFile: p.pidFile,
        conmonPidFile: p.conmonPidFile,
        exitDir: p.exitDir,
        persistDir: p.persistDir,
        socketDir: p.socketDir,
        logPath: cfg.logPath,
        logDriver: cfg.logDriver,
        stdin: cfg.stdin,
        terminal: cfg.tty,
        exitCommand: [...this.res.selfCommand(), 'container', 'cleanup', '--run', run, c.id],
      });
      const fdsBefore = streams ? openFdCount(started.conmonPid) : -1;
      const attached = streams ? await attachToContainer(started.attachSocket, streams, { stdin: cfg.stdin, tty: cfg.tty, ctlFifo: started.ctlFifo }) : undefined;
      if (attached) await waitForAccept(started.conmonPid, fdsBefore);
      await runtime.start(c.id);
      store.transition(c.id, ['created', 'exited', 'stopped'], 'running', {
        pid: started.pid,
        conmonPid: started.conmonPid,
        startedAt: Date.now(),
        exitCode: 0,
        error: '',
      });
      if (attached) await attached.done;
    } catch (e) {
      await runtime.delete(c.id, { force: true }).catch(() => {});
      await storage.unmount(c.id).catch(() => {});
      if (isSelkieError(e)) store.update(c.id, { error: e.message });
      throw e;
    }
  }

  /** Wait for the container to exit; returns its exit code. */
  async wait(c: ContainerRecord): Promise<number> {
    if (c.state !== 'running' && c.state !== 'paused') return c.exitCode;
    const code = await waitForExitFile(this.paths(c).exitFile, c.conmonPid);
    return this.recordExit(c, code).exitCode;
  }

  async kill(c: ContainerRecord, signal: string): Promise<void> {
    await this.res.runtimeFor(c.config.runtimePath).kill(c.id, signal);
  }

  /** The stop signal, then SIGKILL after `timeout` seconds. */
  async stop(c: ContainerRecord, timeout: number): Promise<void> {
    const runtime = this.res.runtimeFor(c.config.runtimePath);
    const exitFile = this.paths(c).exitFile;
    if (timeout > 0) {
      await runtime.kill(c.id, c.config.stopSignal).catch(() => {});
      const code = await waitForExitFile(exitFile, c.conmonPid, timeout * 1000);
      if (code !== undefined) {
        this.recordExit(c, code);
        return;
      }
    }
    await runtime.kill(c.id, 'SIGKILL').catch(() => {});
    this.recordExit(c, (await waitForExitFile(exitFile, c.conmonPid)) ?? 137);
  }

  /**
   * Release what a stopped container's run holds (mount, runtime state) and, with `remove`, the
   * container itself. Safe to run twice at once: the release is claimed once per run (run-claim.ts),
   * the removal by a state transition. `run` limits the release to that run (conmon's exit command).
   */
  async cleanup(c: ContainerRecord, remove: boolean, run?: string): Promise<void> {
    const store = await this.res.containers();
    const storage = await this.res.storage();
    const runtime = this.res.runtimeFor(c.config.runtimePath);
    if (c.state === 'running' || c.state === 'paused') {
      if (!remove) return; // still running: nothing to release
      throw new SelkieError('conflict', `container ${c.name} is running`, { hint: 'stop it first' });
    }
    const released = claimRelease(this.paths(c).runDir, run);
    if (released || remove) {
      await runtime.delete(c.id, { force: true }).catch(() => {});
      await storage.unmount(c.id).catch(() => {});
    }
    if (!remove) return;
    if (!store.transition(c.id, ['created', 'exited', 'stopped', 'dead'], 'removing')) return; // someone else removes it
    const p = this.paths(c);
    await storage.removeContainerLayer(c.id);
    fs.rmSync(p.userdata.replace(/\/userdata$/, ''), { recursive: true, force: true });
    fs.rmSync(p.runDir, { recursive: true, force: true });
    fs.rmSync(p.exitFile, { force: true });
    store.delete(c.id);
  }

  /** Bring a running record up to date: conmon's exit file means the container has exited. */
  sync(c: ContainerRecord): ContainerRecord {
    if (c.state !== 'running' && c.state !== 'paused') return c;
    const code = readExitFile(this.paths(c).exitFile);
    if (code !== undefined) return this.recordExit(c, code);
    if (c.conmonPid && !alive(c.conmonPid)) return this.recordExit(c, -1, 'conmon exited without recording an exit code');
    return c;
  }

  private recordExit(c: ContainerRecord, code: number, error = ''): ContainerRecord {
    const finishedAt = fileTime(this.paths(c).exitFile) ?? Date.now();
    // The store may be opened already; transitions are synchronous SQLite statements.
    const store = this.res.containersSync();
    store.transition(c.id, ['running', 'paused'], 'exited', { exitCode: code, finishedAt, pid: 0, error });
    return store.get(c.id) ?? { ...c, state: 'exited', exitCode: code, finishedAt };
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function fileTime(p: string): number | undefined {
  try {
    return fs.statSync(p).mtimeMs;
  } catch {
    return undefined;
  }
}
