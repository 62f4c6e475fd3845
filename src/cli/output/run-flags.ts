/** The flags `run` and `create` share, and their translation into ContainerCreateOptions. */
import type { Command } from 'commander';
import type { ContainerCreateOptions } from '../../engine/types/container.js';
import { usageError } from '../../engine/errors.js';
import { collect } from '../command-module.js';
import { readEnvFile } from './env-file.js';

export function addCreateFlags(cmd: Command): void {
  cmd
    .argument('<image>')
    .argument('[command...]')
    .option('--name <name>', 'assign a name to the container')
    .option('-e, --env <env>', 'set environment variables (NAME=value, or NAME to pass the caller\'s)', collect, [])
    .option('--env-file <file>', 'read environment variables from a file', collect, [])
    .option('-w, --workdir <dir>', 'working directory inside the container')
    .option('-u, --user <user[:group]>', 'username or UID (and group) to run as')
    .option('-h, --hostname <name>', 'container host name')
    .option('--entrypoint <cmd>', 'overwrite the default ENTRYPOINT of the image (a string, or a JSON array)')
    .option('-l, --label <label>', 'set metadata on the container (key=value)', collect, [])
    .option('--annotation <annotation>', 'add an annotation to the container (key=value)', collect, [])
    .option('-i, --interactive', 'keep STDIN open even if not attached')
    .option('-t, --tty', 'allocate a pseudo-TTY')
    .option('--rm', 'automatically remove the container when it exits')
    .option('--network <mode>', 'network mode: none or host (bridge networks come with the containers issue)', 'none')
    .option('--stop-signal <signal>', 'signal to stop the container', 'SIGTERM')
    .option('--stop-timeout <seconds>', 'seconds to wait before killing the container', (v) => intArg('--stop-timeout', v), 10)
    .option('--cap-add <capability>', 'add Linux capabilities (e.g. NET_ADMIN, or ALL)', collectList, [])
    .option('--cap-drop <capability>', 'drop Linux capabilities (e.g. CHOWN, or ALL)', collectList, [])
    .option('--privileged', 'give extended privileges to the container (all capabilities, no masked paths)')
    .option('--read-only', "mount the container's root filesystem as read-only")
    .option('--ulimit <type=soft[:hard]>', 'ulimit options (e.g. nofile=1024:2048)', collect, [])
    .option('--sysctl <key=value>', 'namespaced kernel parameters (e.g. net.ipv4.ip_forward=1)', collect, [])
    .option('--shm-size <size>', 'size of /dev/shm (e.g. 64m)', (v) => sizeArg('--shm-size', v))
    .option('--security-opt <option>', 'security options: no-new-privileges, seccomp=unconfined, label=disable', collect, [])
    .option('-v, --volume <host:container[:opts]>', 'bind mount a host path (options ro, nodev is the default)', collect, [])
    .option('--mount <spec>', 'attach a mount: type=bind,source=,target=[,readonly] or type=tmpfs,target=', collect, [])
    .option('--tmpfs <path[:opts]>', 'mount a tmpfs', collect, [])
    .option('-m, --memory <bytes>', 'memory limit (e.g. 64m)', (v) => sizeArg('--memory', v))
    .option('--memory-swap <bytes>', 'memory plus swap limit, -1 for unlimited', (v) => (v === '-1' ? -1 : sizeArg('--memory-swap', v)))
    .option('--cpus <number>', 'number of CPUs (e.g. 0.5)', (v) => floatArg('--cpus', v))
    .option('-c, --cpu-shares <shares>', 'CPU shares (relative weight)', (v) => intArg('--cpu-shares', v))
    .option('--pids-limit <n>', 'limit the number of processes', (v) => intArg('--pids-limit', v))
    .option('--init', 'run an init inside the container that forwards signals and reaps processes');
}

export function createOptions(args: string[], o: Record<string, unknown>, runtime?: string): ContainerCreateOptions {
  const [image, ...command] = args as [string, ...string[]];
  const env = [...((o.envFile as string[]) ?? []).flatMap(readEnvFile), ...((o.env as string[]) ?? [])];
  return {
    image,
    command: command.length ? command : undefined,
    entrypoint: o.entrypoint === undefined ? undefined : parseEntrypoint(String(o.entrypoint)),
    name: o.name as string | undefined,
    env,
    workdir: o.workdir as string | undefined,
    user: o.user as string | undefined,
    hostname: o.hostname as string | undefined,
    tty: Boolean(o.tty),
    interactive: Boolean(o.interactive),
    autoRemove: Boolean(o.rm),
    labels: keyValues('--label', o.label as string[]),
    annotations: keyValues('--annotation', o.annotation as string[]),
    network: String(o.network),
    stopSignal: String(o.stopSignal),
    stopTimeout: o.stopTimeout as number,
    runtime,
    capAdd: o.capAdd as string[],
    capDrop: o.capDrop as string[],
    privileged: Boolean(o.privileged),
    readOnly: Boolean(o.readOnly),
    ulimits: o.ulimit as string[],
    sysctls: keyValues('--sysctl', o.sysctl as string[]),
    shmSize: o.shmSize as number | undefined,
    noNewPrivileges: securityOpts(o.securityOpt as string[]),
    volumes: o.volume as string[],
    mounts: o.mount as string[],
    tmpfs: o.tmpfs as string[],
    memory: o.memory as number | undefined,
    memorySwap: o.memorySwap as number | undefined,
    cpus: o.cpus as number | undefined,
    cpuShares: o.cpuShares as number | undefined,
    pidsLimit: o.pidsLimit as number | undefined,
    init: Boolean(o.init),
  };
}

/** Repeatable and comma-separated: --cap-add A,B --cap-add C. */
const collectList = (value: string, prev: string[] = []): string[] => [...prev, ...value.split(',').map((v) => v.trim()).filter(Boolean)];

/**
 * --security-opt values this build applies. Selkie does not load a seccomp profile yet and labels
 * apply only where SELinux is enabled (not on this host), so seccomp=unconfined and label=disable
 * describe what happens anyway; anything else is refused rather than ignored.
 */
function securityOpts(values: string[] = []): boolean {
  let noNewPrivileges = false;
  for (const v of values) {
    if (v === 'no-new-privileges' || v === 'no-new-privileges:true' || v === 'no-new-privileges=true') noNewPrivileges = true;
    else if (v === 'no-new-privileges:false' || v === 'no-new-privileges=false' || v === 'seccomp=unconfined' || v === 'label=disable' || v === 'label:disable') continue;
    else throw usageError(`unsupported --security-opt "${v}"`, 'supported here: no-new-privileges, seccomp=unconfined, label=disable');
  }
  return noNewPrivileges;
}

/** Docker's RAMInBytes: a number with an optional b, k, m or g suffix (powers of 1024). */
export function sizeArg(flag: string, v: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([bkmg]?)b?$/i.exec(v.trim());
  if (!m) throw usageError(`invalid ${flag} "${v}"`, 'give a size such as 64m, 1g or 1048576');
  const unit = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2]!.toLowerCase() as '' | 'b' | 'k' | 'm' | 'g'];
  return Math.round(Number(m[1]) * unit);
}

function parseEntrypoint(v: string): string[] {
  if (v.startsWith('[')) {
    try {
      const a = JSON.parse(v) as unknown;
      if (Array.isArray(a) && a.every((x) => typeof x === 'string')) return a;
    } catch {
      // fall through
    }
    throw usageError(`invalid --entrypoint ${v}`, 'give a command or a JSON array of strings');
  }
  return v === '' ? [] : [v];
}

function keyValues(flag: string, values: string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values) {
    const eq = v.indexOf('=');
    if (eq === 0) throw usageError(`invalid ${flag} "${v}"`, `use ${flag} key=value`);
    if (eq < 0) out[v] = '';
    else out[v.slice(0, eq)] = v.slice(eq + 1);
  }
  return out;
}

function floatArg(flag: string, v: string): number {
  if (!/^\d+(\.\d+)?$/.test(v) || Number(v) <= 0) throw usageError(`invalid ${flag} "${v}": give a positive number such as 0.5`);
  return Number(v);
}

export function intArg(flag: string, v: string): number {
  if (!/^-?\d+$/.test(v)) throw usageError(`invalid ${flag} "${v}": not a whole number`);
  return Number(v);
}
