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
import { writeBundleFile } from './bundle-file.js';
import type { ContainerRecord } from './container-record.js';
import { containerPaths } from './container-paths.js';
import { beginRun, claimRelease, finishRelease, waitForRelease } from './run-claim.js';
import { initBinary } from './init-binary.js';
import { conmonSockets, waitForAccept } from './conmon-accept.js';
import { writeEtcFiles } from './etc-files.js';
import { netConfigOf } from '../network/container-network-config.js';
import { resolveUser } from './user-lookup.js';
import { anonymousVolumes, removeVolumes, specMounts } from '../volumes/volume-mounts.js';
import { labelsFor, seccompFor } from './security-spec.js';
import { signalInitDirectly } from './direct-signal.js';
import { parseDeviceCgroupRule, resolveDevices } from './device-options.js';
import { shareWithMappedRoot } from './userns-files.js';
import { mountHeld } from './mount-hold.js';
import { podNamespaces } from '../pods/pod-namespaces.js';
import { announceStarted, sdNotifyPlan, takeNotifySocket } from '../systemd/sd-notify.js';
import { takeListenFds } from '../systemd/socket-activation.js';
import { cgroupsPathFor } from '../systemd/cgroups-mode.js';
import { clearStoppedByUser, markStoppedByUser } from '../systemd/restart-policy.js';
import { ATTACHED_EXIT_DELAY, cancelDelayedExitCommand } from '../runtime/delayed-exit-command.js';
import { writeFileAtomic } from '../util/atomic-file.js';
import { processAlive } from '../util/process-alive.js';

export class ContainerRunner {
  /** Attached --rm runs started here: their conmon pid, to call off its delayed exit command after our own cleanup. */
  private readonly selfCleaning = new Map<string, number>();
  /** Detached starts in progress in this process: a pod's members wait for their infra's instead of starting it again. */
  private readonly starting = new Map<string, Promise<void>>();

  constructor(private readonly res: Resources) {}

  private paths(c: ContainerRecord) {
    return containerPaths(this.res.paths.graphRoot, this.res.paths.runRoot, c.id);
  }

  /**
   * `byPolicy`: a restart by the container's restart policy, which keeps a user's stop request.
   * A detached start of a container this process is already starting joins that start.
   */
  start(c: ContainerRecord, streams?: AttachStreams, byPolicy = false): Promise<void> {
    if (streams) return this.startOnce(c, streams, byPolicy);
    const pending = this.starting.get(c.id);
    if (pending) return pending;
    const started = this.startOnce(c, undefined, byPolicy).finally(() => this.starting.delete(c.id));
    this.starting.set(c.id, started);
    return started;
  }

  private async startOnce(c: ContainerRecord, streams: AttachStreams | undefined, byPolicy: boolean): Promise<void> {
    const store = await this.res.containers();
    const storage = await this.res.storage();
    const runtime = this.res.runtimeFor(c.config.runtimePath);
    const p = this.paths(c);
    // A pod's member joins its infra container's namespaces (network included): the infra runs first,
    // while the member's runtime state and root file system are prepared.
    const infraReady = this.podInfra(c);
    infraReady.catch(() => {});
    // The network namespace is made (a few processes) while the runtime state and root filesystem are prepared.
    const networking = this.res.networking();
    // A previous run nobody released yet (conmon's exit command still pending or lost): release its
    // network now, so its late exit command cannot tear down this run's.
    // One claimed by conmon's exit command and still in progress: wait for it to finish first.
    if (c.config.network === 'bridge' && claimRelease(p.runDir)) await networking.teardown(c);
    else await waitForRelease(p.runDir);
    const netSetup = infraReady.then(() => networking.setup(c));
    netSetup.catch(() => {});
    // A container that ran before: clear its old runtime state and exit file first.
    await runtime.delete(c.id, { force: true }).catch(() => {});
    fs.rmSync(p.exitFile, { force: true });
    const run = beginRun(p.runDir);
    if (!byPolicy) clearStoppedByUser(p.runDir);
    fs.mkdirSync(p.exitDir, { recursive: true, mode: 0o700 });
    fs.mkdirSync(p.persistDir, { recursive: true, mode: 0o700 });

    const rootfs = await storage.mount(c.id).catch(async (e) => {
      await netSetup.then((n) => n.ready).catch(() => {});
      await networking.teardown(c).catch(() => {});
      throw e;
    });
    try {
      const cfg = c.config;
      const podNs = podNamespaces(cfg.pod, await infraReady);
      const net = await netSetup;
      // systemd: the unit's notify socket (--sdnotify) and activation sockets (not for a pod's infra).
      const notify = sdNotifyPlan(cfg.pod?.infra ? 'ignore' : cfg.sdNotifyMode, takeNotifySocket(), p.userdata);
      const listen = cfg.pod?.infra ? undefined : takeListenFds();
      const keepGroups = cfg.groupAdd?.includes('keep-groups');
      const user = resolveUser(rootfs, cfg.user, keepGroups ? [] : (cfg.groupAdd ?? []));
      if (keepGroups) user.additionalGids = [...new Set([...user.additionalGids, ...(process.getgroups?.() ?? [])])].filter((g) => g !== user.gid);
      const devices = resolveDevices(cfg.devices ?? []);
      const sec = cfg.security;
      const etc = writeEtcFiles(p.userdata, { hostname: cfg.hostname, network: cfg.network, extraHosts: netConfigOf(cfg)?.extraHosts, ...net.etc });
      if (cfg.idMappings) shareWithMappedRoot(p.userdata, Object.values(etc), cfg.idMappings);
      const spec = generateSpec({
        args: cfg.init ? ['/dev/init', '--', ...cfg.args] : cfg.args,
        env: [...cfg.env, ...notify.env, ...(listen?.env ?? [])],
        cwd: cfg.workdir,
        uid: user.uid,
        gid: user.gid,
        additionalGids: user.additionalGids,
        terminal: cfg.tty,
        hostname: cfg.hostname,
        rootfs,
        networkNamespace: net.namespace,
        mounts: [
          { destination: '/etc/hostname', source: etc.hostname, options: ['bind', 'rprivate', 'ro'] },
          { destination: '/etc/hosts', source: etc.hosts, options: ['bind', 'rprivate'] },
          { destination: '/etc/resolv.conf', source: etc.resolvConf, options: ['bind', 'rprivate'] },
          ...notify.mounts,
          ...(cfg.init ? [{ destination: '/dev/init', source: initBinary(), options: ['bind', 'ro'] }] : []),
          ...(await specMounts(cfg.mounts?.some((m) => m.type === 'volume') ? await this.res.volumes() : undefined, cfg.mounts ?? [], rootfs, user)),
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
        seccomp: seccompFor(sec?.seccomp),
        devices: devices.devices,
        deviceRules: [...devices.rules, ...(cfg.deviceCgroupRules ?? []).map(parseDeviceCgroupRule)],
        mask: sec?.mask,
        unmask: sec?.unmask,
        ...labelsFor(sec, c.id),
        memoryLimit: cfg.memory,
        memorySwap: cfg.memorySwap,
        cpus: cfg.cpus,
        cpuShares: cfg.cpuShares,
        pidsLimit: cfg.pidsLimit,
        cgroupsPath: cgroupsPathFor(cfg.cgroupsMode, c.id),
        idMappings: cfg.idMappings,
        ...podNs,
      });
      writeBundleFile(p.configJson, JSON.stringify(spec));
      fs.writeFileSync(cfg.logPath, '', { flag: 'a' });

      const selfCleaning = Boolean(streams) && cfg.autoRemove && (cfg.restartPolicy?.name ?? 'no') === 'no';
      // runc joins the namespace; the veths reach their bridges meanwhile. (A container with its own
      // user namespace gets its netns from runc, which the network set-up adopts once it exists.)
      if (!net.created) await net.nsReady;
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
        sdNotifySocket: notify.conmonSocket,
        listenFds: listen?.fds,
        exitCommand: [...this.res.selfCommand(), 'container', 'cleanup', '--run', run, c.id],
        // An attached --rm run is removed by this process once wait() sees it exit; the exit command is the fallback.
        exitDelay: selfCleaning ? ATTACHED_EXIT_DELAY : undefined,
      });
      if (selfCleaning) this.selfCleaning.set(c.id, started.conmonPid);
      // --conmon-pidfile (a pod's --infra-conmon-pidfile): systemd's PIDFile= of a generated unit.
      if (cfg.conmonPidFile) {
        try {
          writeFileAtomic(cfg.conmonPidFile, String(started.conmonPid));
        } catch (e) {
          throw new SelkieError('invalid', `cannot write the conmon PID file ${cfg.conmonPidFile} of container ${c.name}: ${(e as Error).message}`, { hint: 'choose a writable --conmon-pidfile / --infra-conmon-pidfile' });
        }
      }
      net.created?.(started.pid);
      const socketsBefore = streams ? conmonSockets(started.conmonPid) : undefined;
      const attached = streams ? await attachToContainer(started.attachSocket, streams, { stdin: cfg.stdin, tty: cfg.tty, ctlFifo: started.ctlFifo }) : undefined;
      if (attached) await waitForAccept(started.conmonPid, socketsBefore);
      await net.ready;
      await runtime.start(c.id);
      store.transition(c.id, ['created', 'exited', 'stopped'], 'running', {
        pid: started.pid,
        conmonPid: started.conmonPid,
        startedAt: Date.now(),
        exitCode: 0,
        error: '',
      });
      announceStarted(notify, started.conmonPid, (error) => store.update(c.id, { error }));
      if (attached) await attached.done;
    } catch (e) {
      await runtime.delete(c.id, { force: true }).catch(() => {});
      await netSetup.then((n) => (n.created?.(undefined), n.ready)).catch(() => {});
      await networking.teardown(c).catch(() => {});
      await storage.unmount(c.id).catch(() => {});
      if (isSelkieError(e)) store.update(c.id, { error: e.message });
      throw e;
    }
  }

  /** A pod member's infra container, started first when it is not running. */
  private async podInfra(c: ContainerRecord): Promise<ContainerRecord | undefined> {
    const pod = c.config.pod;
    if (!pod?.infraId || pod.infra) return undefined;
    const store = await this.res.containers();
    let infra = store.get(pod.infraId);
    if (!infra) throw new SelkieError('not-found', `the infra container of pod ${pod.name} is gone`, { hint: `remove the pod with selkie pod rm -f ${pod.name}` });
    infra = this.sync(infra);
    if (infra.state !== 'running' && infra.state !== 'paused') {
      await this.start(infra); // or joins the start in progress (pod start starts it with the members)
      infra = store.get(pod.infraId) ?? infra;
    }
    return infra;
  }

  /** Wait for the container to exit; returns its exit code. */
  async wait(c: ContainerRecord): Promise<number> {
    const running = c.state === 'running' || c.state === 'paused';
    const exited = running ? this.recordExit(c, await waitForExitFile(this.paths(c).exitFile, c.conmonPid)) : c;
    // An --rm container this process started attached goes now (its exit command waits, see start);
    // should that fail, the exit command or the caller's own cleanup still does it.
    if (this.selfCleaning.has(c.id) && exited.config.autoRemove) await this.cleanup(exited, true).catch(() => {});
    return exited.exitCode;
  }

  async kill(c: ContainerRecord, signal: string): Promise<void> {
    markStoppedByUser(this.paths(c).runDir); // a killed container is not restarted by its policy
    await this.res.runtimeFor(c.config.runtimePath).kill(c.id, signal);
  }

  /** The stop signal, then SIGKILL after `timeout` seconds. */
  async stop(c: ContainerRecord, timeout: number): Promise<void> {
    const runtime = this.res.runtimeFor(c.config.runtimePath);
    const exitFile = this.paths(c).exitFile;
    markStoppedByUser(this.paths(c).runDir); // a stopped container is not restarted by its policy
    const signal = async (sig: string) => {
      if (!signalInitDirectly(c.pid, c.conmonPid, sig)) await runtime.kill(c.id, sig).catch(() => {});
    };
    if (timeout > 0) {
      await signal(c.config.stopSignal);
      const code = await waitForExitFile(exitFile, c.conmonPid, timeout * 1000);
      if (code !== undefined) {
        this.recordExit(c, code);
        return;
      }
    }
    await signal('SIGKILL');
    this.recordExit(c, (await waitForExitFile(exitFile, c.conmonPid)) ?? 137);
  }

  /**
   * Release what a stopped container's run holds (mount, runtime state) and, with `remove`, the
   * container itself (with `volumes`, or for an --rm container, its anonymous volumes too).
   * Safe to run twice at once: the release is claimed once per run (run-claim.ts),
   * the removal by a state transition. `run` limits the release to that run (conmon's exit command).
   */
  async cleanup(c: ContainerRecord, remove: boolean, run?: string, volumes = false): Promise<boolean> {
    const store = await this.res.containers();
    const storage = await this.res.storage();
    const runtime = this.res.runtimeFor(c.config.runtimePath);
    if (c.state === 'running' || c.state === 'paused') {
      if (!remove) return false; // still running: nothing to release
      throw new SelkieError('conflict', `container ${c.name} is running`, { hint: 'stop it first' });
    }
    if (c.state === 'removing') return false; // its remover releases everything
    const released = claimRelease(this.paths(c).runDir, run);
    if (released || remove) {
      // A root filesystem the user mounted (selkie mount) stays mounted until selkie umount, and one
      // that cp/export/commit hold right now stays until they are done (mount-hold.ts).
      const keepMount = !remove && mountHeld(this.paths(c).runDir);
      // The container's processes are gone: its runtime state, root filesystem and network go at once.
      await Promise.all([
        runtime.delete(c.id, { force: true }).catch(() => {}),
        keepMount ? undefined : storage.unmount(c.id).catch(() => {}),
        this.res.networking().teardown(c),
      ]).finally(() => {
        if (released) finishRelease(this.paths(c).runDir);
      });
    }
    if (!remove) return released;
    if (!store.transition(c.id, ['created', 'exited', 'stopped', 'dead'], 'removing')) return released; // someone else removes it
    const p = this.paths(c);
    try {
      await storage.removeContainerLayer(c.id);
    } catch (e) {
      // Not left "removing" for ever (where no later rm could take it): dead, with the reason, and rm tries again.
      const why = e instanceof Error ? e.message : String(e);
      store.transition(c.id, ['removing'], 'dead', { error: `removal failed: ${why}` });
      throw new SelkieError('runtime', `cannot remove container ${c.name}: its storage could not be removed: ${why}`, {
        hint: 'see what still uses its root filesystem (fuser -vm), then run selkie rm again',
        cause: e,
      });
    }
    fs.rmSync(p.userdata.replace(/\/userdata$/, ''), { recursive: true, force: true });
    await removeRunDir(p.runDir);
    fs.rmSync(p.exitFile, { force: true });
    store.delete(c.id);
    this.res.events().write({ type: 'container', status: 'remove', id: c.id, name: c.name, image: c.config.imageName, attributes: c.config.labels });
    // rm -v, and --rm as Docker does it: the container's anonymous volumes go with it.
    if ((volumes || c.config.autoRemove) && anonymousVolumes(c).length) removeVolumes(await this.res.volumes(), anonymousVolumes(c));
    // Everything conmon's exit command would do is done: call it off if it still waits (attached --rm).
    const conmonPid = this.selfCleaning.get(c.id);
    if (conmonPid) cancelDelayedExitCommand(conmonPid);
    this.selfCleaning.delete(c.id);
    return released;
  }

  /** Bring a running record up to date: conmon's exit file means the container has exited. */
  sync(c: ContainerRecord): ContainerRecord {
    if (c.state !== 'running' && c.state !== 'paused') return c;
    const code = readExitFile(this.paths(c).exitFile);
    if (code !== undefined) return this.recordExit(c, code);
    if (c.conmonPid && !processAlive(c.conmonPid)) return this.recordExit(c, -1, 'conmon exited without recording an exit code');
    return c;
  }

  private recordExit(c: ContainerRecord, code: number, error = ''): ContainerRecord {
    const finishedAt = fileTime(this.paths(c).exitFile) ?? Date.now();
    // The store may be opened already; transitions are synchronous SQLite statements.
    const store = this.res.containersSync();
    if (store.transition(c.id, ['running', 'paused'], 'exited', { exitCode: code, finishedAt, pid: 0, error })) {
      // The one process that records the exit logs it.
      this.res.events().write({ type: 'container', status: 'died', id: c.id, name: c.name, image: c.config.imageName, attributes: { ...c.config.labels, containerExitCode: String(code) } });
    }
    return store.get(c.id) ?? { ...c, state: 'exited', exitCode: code, finishedAt };
  }
}

function fileTime(p: string): number | undefined {
  try {
    return fs.statSync(p).mtimeMs;
  } catch {
    return undefined;
  }
}

/**
 * The run directory, removed even while a late writer (conmon's exit command claiming the release,
 * a stop marker) puts a small file in it: rmdir's ENOTEMPTY is retried a few times.
 */
async function removeRunDir(dir: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      fs.rmSync(dir, { recursive: true, force: true });
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOTEMPTY' || attempt >= 20) throw e;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}
