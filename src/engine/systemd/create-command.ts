/**
 * A container's create command (Config.CreateCommand: the argv of the `run`/`create` that made it)
 * rewritten into the `run` a `generate systemd --new` unit starts: the same global flags, image,
 * command and options, minus the ones the unit owns (-d, --rm, --cidfile, --cgroups, --replace,
 * --name, --restart: systemd restarts the unit), plus
 * `--cidfile=%t/%n.ctr-id --cgroups=no-conmon --rm --sdnotify=conmon -d --replace --name NAME`
 * (a --sdnotify of the user's is kept).
 */
import { SelkieError } from '../errors.js';

/** Options of run/create that take a value (long and short spellings, e.g. "--env", "-e"). */
export type ValueFlags = ReadonlySet<string>;

/** Flags the unit sets itself; `true`: the flag takes a value. */
const owned: Record<string, boolean> = {
  '-d': false,
  '--detach': false,
  '--rm': false,
  '--replace': false,
  '--cidfile': true,
  '--cgroups': true,
  '--name': true,
  '--restart': true,
};

export interface SplitCreateCommand {
  /** argv[0]. */
  program: string;
  /** Global flags before the command word. */
  global: string[];
  /** The command words (run, create, container run, container create). */
  command: string[];
  /** Options after the command word, each with its value. */
  options: string[][];
  /** Image and the container's command. */
  rest: string[];
}

export function splitCreateCommand(argv: string[], valueFlags: ValueFlags): SplitCreateCommand {
  const at = argv.findIndex((a, i) => i > 0 && (a === 'run' || a === 'create') && !isValueOf(argv, i, globalValueFlags));
  if (at < 0) throw new SelkieError('invalid', `the recorded create command is not a run or create: ${argv.join(' ')}`);
  const commandStart = argv[at - 1] === 'container' ? at - 1 : at;
  const options: string[][] = [];
  let i = at + 1;
  while (i < argv.length) {
    const a = argv[i]!;
    if (a === '--') {
      i++;
      break;
    }
    if (!a.startsWith('-') || a === '-') break;
    const flag = a.includes('=') ? a.slice(0, a.indexOf('=')) : a;
    if (!a.includes('=') && takesValue(flag, valueFlags) && i + 1 < argv.length) {
      options.push([a, argv[i + 1]!]);
      i += 2;
    } else {
      options.push([a]);
      i++;
    }
  }
  return { program: argv[0]!, global: argv.slice(1, commandStart), command: argv.slice(commandStart, at + 1), options, rest: argv.slice(i) };
}

/**
 * The run command (without the program and global flags) for a --new unit. `podIdFile`: the
 * container runs in the pod a pod unit created (its --pod/--pod-id-file replaced by that file).
 */
export function newRunCommand(
  argv: string[],
  o: { name: string; podIdFile?: string },
  valueFlags: ValueFlags = defaultValueFlags,
): { global: string[]; run: string[]; image: string[] } {
  const split = splitCreateCommand(argv, valueFlags);
  const kept = split.options.filter(([a]) => {
    const flag = a!.includes('=') ? a!.slice(0, a!.indexOf('=')) : a!;
    return !(flag in owned) && !(o.podIdFile && (flag === '--pod' || flag === '--pod-id-file'));
  });
  const userNotify = kept.some(([a]) => a === '--sdnotify' || a!.startsWith('--sdnotify='));
  const run = ['run', '--cidfile=%t/%n.ctr-id', '--cgroups=no-conmon', '--rm'];
  if (o.podIdFile) run.push('--pod-id-file', o.podIdFile);
  if (!userNotify) run.push('--sdnotify=conmon');
  run.push('-d', '--replace', '--name', o.name, ...kept.flat());
  if (split.rest[0]?.startsWith('-')) run.push('--');
  return { global: split.global, run, image: split.rest };
}

function takesValue(flag: string, valueFlags: ValueFlags): boolean {
  if (flag in owned) return owned[flag]!;
  return valueFlags.has(flag);
}

/** Global flags with a value: "--root X" before the command word is not the command. */
const globalValueFlags: ReadonlySet<string> = new Set(['--root', '--runroot', '--storage-driver', '--log-level', '--runtime', '--connection', '--url', '--identity', '--cgroup-manager']);

function isValueOf(argv: string[], i: number, flags: ReadonlySet<string>): boolean {
  return flags.has(argv[i - 1] ?? '');
}

/**
 * The value-taking options of run/create, for callers without the CLI's flag table (the CLI passes
 * its own, built from the commander definition, so new flags are known without editing this list).
 */
export const defaultValueFlags: ValueFlags = new Set([
  '--name', '-e', '--env', '--env-file', '-w', '--workdir', '-u', '--user', '-h', '--hostname', '--entrypoint', '-l', '--label',
  '--annotation', '--network', '-p', '--publish', '--ip', '--network-alias', '--add-host', '--dns', '--dns-search', '--dns-option',
  '--stop-signal', '--stop-timeout', '--cap-add', '--cap-drop', '--ulimit', '--sysctl', '--shm-size', '--security-opt', '--device',
  '--device-cgroup-rule', '--group-add', '-v', '--volume', '--mount', '--volumes-from', '--tmpfs', '-m', '--memory', '--memory-swap',
  '--cpus', '-c', '--cpu-shares', '--pids-limit', '--uidmap', '--gidmap', '--subuidname', '--subgidname', '--pod', '--pod-id-file', '--sdnotify',
  '--restart', '--cidfile', '--cgroups', '--log-driver',
]);
