/**
 * A pod's create command (inspect's CreateCommand: the argv of the `pod create` that made it)
 * rewritten into the `pod create` a `generate systemd --new` pod unit runs in ExecStartPre, as
 * Podman 4 does: the same global flags and options, minus the ones the unit owns
 * (--infra-conmon-pidfile, --pod-id-file, --exit-policy, --replace), plus
 * `--infra-conmon-pidfile PIDFILE --pod-id-file PODIDFILE --exit-policy=stop` in front and
 * `--replace` at the end when the pod has a --name (so a restart of the unit takes the name over).
 */
import { SelkieError } from '../errors.js';

/** Options the unit sets itself; `true`: the flag takes a value. */
const owned: Record<string, boolean> = {
  '--infra-conmon-pidfile': true,
  '--pod-id-file': true,
  '--exit-policy': true,
  '--replace': false,
};

export interface PodCreateRewrite {
  /** Global flags before `pod create`. */
  global: string[];
  /** `pod create` and its options for the unit. */
  create: string[];
}

export function newPodCreateCommand(argv: string[], files: { pidFile: string; podIdFile: string }): PodCreateRewrite {
  const at = argv.findIndex((a, i) => i > 0 && a === 'create' && argv[i - 1] === 'pod');
  if (at < 0) {
    throw new SelkieError('invalid', `the pod does not appear to be made by pod create (its create command is: ${argv.join(' ') || 'none'})`, {
      hint: 'generate units with --new only for pods made with selkie pod create, or leave out --new',
    });
  }
  const kept: string[] = [];
  let named = false;
  for (let i = at + 1; i < argv.length; i++) {
    const a = argv[i]!;
    const flag = a.includes('=') ? a.slice(0, a.indexOf('=')) : a;
    if (flag === '--name' || flag === '-n' || (a.startsWith('-n') && !a.startsWith('--'))) named = true;
    if (flag in owned) {
      if (owned[flag] && !a.includes('=')) i++; // its value goes too
      continue;
    }
    kept.push(a);
  }
  const create = ['pod', 'create', '--infra-conmon-pidfile', files.pidFile, '--pod-id-file', files.podIdFile, '--exit-policy=stop', ...kept];
  if (named) create.push('--replace');
  return { global: argv.slice(1, at - 1), create };
}
