/** The flags `run` and `create` share, and their translation into ContainerCreateOptions. */
import path from 'node:path';
import type { Command } from 'commander';
import type { ContainerCreateOptions } from '../../engine/types/container.js';
import { usageError } from '../../engine/errors.js';
import { collect } from '../command-module.js';
import { readEnvFile } from './env-file.js';
import { idsFromPodIdFiles } from './pod-id-file-args.js';

export function addCreateFlags(cmd: Command): void {
  cmd
    .argument('<image>')
    .argument('[command...]')
    .option('--name <name>', 'assign a name to the container')
    .option('-e, --env <env>', 'set environment variables (NAME=value, or NAME to pass the caller\'s)', collect, [])
    .option('--env-file <file>', 'read environment variables from a file', collect, [])
    .option('--env-host', "use the caller's environment inside the container (the image's Env and -e override it)")
    .option('-w, --workdir <dir>', 'working directory inside the container')
    .option('-u, --user <user[:group]>', 'username or UID (and group) to run as')
    .option('-h, --hostname <name>', 'container host name')
    .option('--entrypoint <cmd>', 'overwrite the default ENTRYPOINT of the image (a string, or a JSON array)')
    .option('-l, --label <label>', 'set metadata on the container (key=value)', collect, [])
    .option('--annotation <annotation>', 'add an annotation to the container (key=value)', collect, [])
    .option('-i, --interactive', 'keep STDIN open even if not attached')
    .option('-t, --tty', 'allocate a pseudo-TTY')
    .option('--rm', 'automatically remove the container when it exits')
    .option('--network <mode>', 'connect to networks: bridge (default), a network name (repeat or comma-separate for several), host, none, container:NAME', collectList, [])
    .option('-p, --publish <[ip:][hostPort:]containerPort[/proto]>', "publish a container's port(s) to the host", collect, [])
    .option('-P, --publish-all', "publish all of the image's exposed ports to random host ports")
    .option('--ip <address>', 'IPv4 address for the container on its (first) network')
    .option('--network-alias <alias>', 'add a DNS alias for the container on its networks', collect, [])
    .option('--add-host <host:ip>', 'add a custom host-to-IP mapping to /etc/hosts', collect, [])
    .option('--dns <ip>', 'set custom DNS servers', collect, [])
    .option('--dns-search <domain>', 'set custom DNS search domains', collect, [])
    .option('--dns-option <option>', 'set custom DNS options', collect, [])
    .option('--stop-signal <signal>', 'signal to stop the container', 'SIGTERM')
    .option('--stop-timeout <seconds>', 'seconds to wait before killing the container', (v) => intArg('--stop-timeout', v), 10)
    .option('--cap-add <capability>', 'add Linux capabilities (e.g. NET_ADMIN, or ALL)', collectList, [])
    .option('--cap-drop <capability>', 'drop Linux capabilities (e.g. CHOWN, or ALL)', collectList, [])
    .option('--privileged', 'give extended privileges to the container (all capabilities, no masked paths)')
    .option('--read-only', "mount the container's root filesystem as read-only")
    .option('--ulimit <type=soft[:hard]>', 'ulimit options (e.g. nofile=1024:2048)', collect, [])
    .option('--sysctl <key=value>', 'namespaced kernel parameters (e.g. net.ipv4.ip_forward=1)', collect, [])
    .option('--shm-size <size>', 'size of /dev/shm (e.g. 64m)', (v) => sizeArg('--shm-size', v))
    .option('--security-opt <option>', 'security options: seccomp=unconfined|FILE, no-new-privileges, label=disable|type:T|level:L, apparmor=PROFILE, mask=PATHS, unmask=ALL|PATHS', collect, [])
    .option('--device <host[:container][:rwm]>', 'add a host device to the container', collect, [])
    .option('--device-cgroup-rule <rule>', 'allow devices in the cgroup, e.g. "c 10:229 rwm"', collect, [])
    .option('--group-add <group>', 'add supplementary groups (names from the image, GIDs, or keep-groups)', collect, [])
    .option('-v, --volume <source:container[:opts]>', 'bind mount a host path or mount a named volume (NAME:/path), or an anonymous volume (/path); options ro, nocopy, ...; nodev is the default', collect, [])
    .option('--mount <spec>', 'attach a mount: type=bind|volume,source=,target=[,readonly][,volume-nocopy] or type=tmpfs,target=', collect, [])
    .option('--volumes-from <container[:ro|rw]>', "mount the volumes and binds of another container", collect, [])
    .option('--tmpfs <path[:opts]>', 'mount a tmpfs', collect, [])
    .option('-m, --memory <bytes>', 'memory limit (e.g. 64m)', (v) => sizeArg('--memory', v))
    .option('--memory-swap <bytes>', 'memory plus swap limit, -1 for unlimited', (v) => (v === '-1' ? -1 : sizeArg('--memory-swap', v)))
    .option('--cpus <number>', 'number of CPUs (e.g. 0.5)', (v) => floatArg('--cpus', v))
    .option('-c, --cpu-shares <shares>', 'CPU shares (relative weight)', (v) => intArg('--cpu-shares', v))
    .option('--pids-limit <n>', 'limit the number of processes', (v) => intArg('--pids-limit', v))
    .option('--init', 'run an init inside the container that forwards signals and reaps processes')
    .option('--uidmap <container:host:size>', 'run in a user namespace with this UID mapping', collect, [])
    .option('--gidmap <container:host:size>', 'run in a user namespace with this GID mapping', collect, [])
    .option('--subuidname <name>', "map the container's UIDs to this name's range in /etc/subuid")
    .option('--subgidname <name>', "map the container's GIDs to this name's range in /etc/subgid")
    .option('--pod <pod>', 'run the container in a pod (name or ID; new:NAME creates it)')
    .option('--pod-id-file <file>', 'run the container in the pod whose ID is in this file (pod create --pod-id-file)')
    .option('--sdnotify <mode>', 'how systemd learns the container is ready: container (its own READY=1), conmon (when started) or ignore')
    .option('--restart <policy>', 'restart policy when the container exits: no, on-failure[:max-retries], always, unless-stopped')
    .option('--log-driver <driver>', 'logging driver: k8s-file (default), journald, none')
    .option('--cgroups <mode>', 'cgroup handling: enabled (default), no-conmon, split, disabled')
    .option('--cidfile <file>', "write the container's ID to this file")
    .option('--conmon-pidfile <file>', "write the PID of the container's conmon to this file on each start")
    .option('--replace', 'replace a container of the same --name, if there is one');
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
    hostEnv: o.envHost ? Object.entries(process.env).map(([k, v]) => `${k}=${v}`) : undefined,
    workdir: o.workdir as string | undefined,
    user: o.user as string | undefined,
    hostname: o.hostname as string | undefined,
    tty: Boolean(o.tty),
    interactive: Boolean(o.interactive),
    autoRemove: Boolean(o.rm),
    labels: keyValues('--label', o.label as string[]),
    annotations: keyValues('--annotation', o.annotation as string[]),
    network: ((o.network as string[]) ?? []).join(',') || undefined,
    publish: o.publish as string[],
    publishAll: Boolean(o.publishAll),
    ip: o.ip as string | undefined,
    networkAliases: o.networkAlias as string[],
    addHosts: o.addHost as string[],
    dns: o.dns as string[],
    dnsSearch: o.dnsSearch as string[],
    dnsOptions: o.dnsOption as string[],
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
    securityOpt: o.securityOpt as string[],
    devices: o.device as string[],
    deviceCgroupRules: o.deviceCgroupRule as string[],
    groupAdd: o.groupAdd as string[],
    volumes: o.volume as string[],
    mounts: o.mount as string[],
    tmpfs: o.tmpfs as string[],
    volumesFrom: o.volumesFrom as string[],
    memory: o.memory as number | undefined,
    memorySwap: o.memorySwap as number | undefined,
    cpus: o.cpus as number | undefined,
    cpuShares: o.cpuShares as number | undefined,
    pidsLimit: o.pidsLimit as number | undefined,
    init: Boolean(o.init),
    uidmap: o.uidmap as string[],
    gidmap: o.gidmap as string[],
    subuidname: o.subuidname as string | undefined,
    subgidname: o.subgidname as string | undefined,
    pod: podOption(o),
    sdnotify: o.sdnotify as string | undefined,
    restart: o.restart as string | undefined,
    logDriver: o.logDriver as string | undefined,
    cgroups: o.cgroups as string | undefined,
    cidFile: o.cidfile as string | undefined,
    conmonPidFile: o.conmonPidfile === undefined ? undefined : path.resolve(String(o.conmonPidfile)),
    replace: Boolean(o.replace),
    // The command line as typed (Podman's CreateCommand), for `generate systemd --new`.
    createCommand: process.argv.length > 1 ? [process.argv[1]!, ...process.argv.slice(2)] : undefined,
  };
}

/** --pod, or the pod ID read from --pod-id-file (not both). */
function podOption(o: Record<string, unknown>): string | undefined {
  if (o.podIdFile === undefined) return o.pod as string | undefined;
  if (o.pod !== undefined) throw usageError('--pod and --pod-id-file cannot be used together', 'give one of them');
  return idsFromPodIdFiles([String(o.podIdFile)], false)[0];
}

/** Repeatable and comma-separated: --cap-add A,B --cap-add C. */
const collectList = (value: string, prev: string[] = []): string[] => [...prev, ...value.split(',').map((v) => v.trim()).filter(Boolean)];

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

export function keyValues(flag: string, values: string[] = []): Record<string, string> {
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
