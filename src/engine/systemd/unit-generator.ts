/**
 * systemd unit files for containers and pods, in the shape Podman 4.3's `generate systemd` writes
 * them (its templates read for the fields; the text here is our own): a header, [Unit] with
 * network-online ordering and RequiresMountsFor the run root, [Service] with the unit name in
 * PODMAN_SYSTEMD_UNIT, Restart=, TimeoutStopSec= (stop timeout + 60 s), ExecStart/ExecStop/
 * ExecStopPost and [Install]. Without --new the unit starts the existing container
 * (Type=forking, PIDFile= conmon's pid file); with --new it runs a fresh one from the container's
 * create command (Type=notify, NotifyAccess=all, --sdnotify=conmon, a cidfile in %t).
 * A pod's unit Wants= and Before= its containers' units; their units BindsTo= and After= it.
 * A pod with --new: the unit creates the pod in ExecStartPre (its `pod create` replayed with
 * --infra-conmon-pidfile %t/UNIT.pid --pod-id-file %t/UNIT.pod-id --exit-policy=stop), starts,
 * stops and removes it by that pod ID file, and its containers' units `run --pod-id-file` it.
 */
import { newRunCommand, type ValueFlags } from './create-command.js';
import { newPodCreateCommand } from './pod-create-command.js';

export interface UnitOptions {
  /** Run a new container from the create command instead of starting the existing one. */
  new?: boolean;
  /** Use names instead of IDs in unit names and commands. */
  useName?: boolean;
  /** systemd's Restart= (default on-failure). */
  restartPolicy?: string;
  restartSec?: number;
  /** Stop timeout override in seconds (-t); default the container's own. */
  stopTimeout?: number;
  containerPrefix?: string;
  podPrefix?: string;
  separator?: string;
  noHeader?: boolean;
}

export interface UnitContext {
  /** The selkie program the unit runs (absolute path). */
  executable: string;
  /** Global flags that point at the same state (e.g. --root, --runroot), placed before the command. */
  globalArgs: string[];
  version: string;
  runRoot: string;
  /** For the header's timestamp. */
  now?: Date;
  /** run/create options that take a value (to find the image in a create command). */
  valueFlags?: ValueFlags;
}

export interface ContainerUnitInput {
  id: string;
  name: string;
  stopTimeout: number;
  conmonPidFile: string;
  /** The command line the container was created with (Config.CreateCommand). */
  createCommand?: string[];
}

export interface PodUnitInput {
  id: string;
  name: string;
  infra: ContainerUnitInput;
  /** The command line the pod was created with (its CreateCommand), for --new. */
  createCommand?: string[];
}

/** The files a --new pod unit keeps in %t: the infra's conmon PID (PIDFile=) and the pod's ID. */
export function podUnitFiles(podUnit: string): { pidFile: string; podIdFile: string } {
  return { pidFile: `%t/${podUnit}.pid`, podIdFile: `%t/${podUnit}.pod-id` };
}

export interface GeneratedUnit {
  /** The unit's name without .service. */
  name: string;
  text: string;
}

export const restartPolicies = ['no', 'on-success', 'on-failure', 'on-abnormal', 'on-watchdog', 'on-abort', 'always'] as const;

const unitName = (prefix: string, separator: string, ident: string) => (prefix ? `${prefix}${separator}${ident}` : ident);

export function containerUnitName(c: { id: string; name: string }, o: UnitOptions): string {
  return unitName(o.containerPrefix ?? 'container', o.separator ?? '-', o.useName ? c.name : c.id);
}

export function podUnitName(p: { id: string; name: string }, o: UnitOptions): string {
  return unitName(o.podPrefix ?? 'pod', o.separator ?? '-', o.useName ? p.name : p.id);
}

/** A container's unit; `pod` is the unit name of its pod's service, when it has one. */
export function containerUnit(c: ContainerUnitInput, o: UnitOptions, ctx: UnitContext, pod?: string): GeneratedUnit {
  const name = containerUnitName(c, o);
  const ident = o.useName ? c.name : c.id;
  const timeout = o.stopTimeout ?? c.stopTimeout;
  const self = [ctx.executable, ...ctx.globalArgs];
  const service: [string, string][] = [['Environment', 'PODMAN_SYSTEMD_UNIT=%n']];
  service.push(...restartLines(o), ['TimeoutStopSec', String(timeout + 60)]);
  if (o.new) {
    if (!c.createCommand?.length) {
      throw new Error(`container ${c.name} has no create command recorded: it cannot be generated with --new`);
    }
    const podIdFile = pod ? podUnitFiles(pod).podIdFile : undefined;
    const { global, run, image } = newRunCommand(c.createCommand, { name: c.name, podIdFile }, ctx.valueFlags);
    // The new container lives in the state its create command pointed at (its own --root, ...).
    const own = [ctx.executable, ...global];
    service.push(
      ['ExecStartPre', '/bin/rm -f %t/%n.ctr-id'],
      ['ExecStart', commandLine([...own, ...run], image, podIdFile ? [podIdFile] : [])],
      ['ExecStop', commandLine([...own, 'stop', '--ignore', '-t', String(timeout), '--cidfile=%t/%n.ctr-id'])],
      ['ExecStopPost', commandLine([...own, 'rm', '-f', '--ignore', '-t', String(timeout), '--cidfile=%t/%n.ctr-id'])],
      ['Type', 'notify'],
      ['NotifyAccess', 'all'],
    );
  } else {
    service.push(
      ['ExecStart', commandLine([...self, 'start', ident])],
      ['ExecStop', commandLine([...self, 'stop', '-t', String(timeout), ident])],
      ['ExecStopPost', commandLine([...self, 'stop', '-t', String(timeout), ident])],
      ['PIDFile', c.conmonPidFile],
      ['Type', 'forking'],
    );
  }
  const unit: [string, string][] = unitHead(name, ctx);
  if (pod) unit.push(['BindsTo', `${pod}.service`], ['After', `${pod}.service`]);
  return { name, text: render(name, o, ctx, unit, service) };
}

/** A pod's unit (it starts the pod through its infra container) and its containers' names. */
export function podUnit(p: PodUnitInput, memberUnits: string[], o: UnitOptions, ctx: UnitContext): GeneratedUnit {
  const name = podUnitName(p, o);
  const infraIdent = o.useName ? p.infra.name : p.infra.id;
  const timeout = o.stopTimeout ?? p.infra.stopTimeout;
  const self = [ctx.executable, ...ctx.globalArgs];
  const unit = unitHead(name, ctx);
  if (memberUnits.length) {
    const list = memberUnits.map((u) => `${u}.service`).join(' ');
    unit.push(['Wants', list], ['Before', list]);
  }
  const service: [string, string][] = [
    ['Environment', 'PODMAN_SYSTEMD_UNIT=%n'],
    ...restartLines(o),
    ['TimeoutStopSec', String(timeout + 60)],
  ];
  if (o.new) {
    const files = podUnitFiles(name);
    const { global, create } = newPodCreateCommand(p.createCommand ?? [], files);
    const own = [ctx.executable, ...global];
    const literal = [files.pidFile, files.podIdFile];
    service.push(
      ['ExecStartPre', `/bin/rm -f ${files.pidFile} ${files.podIdFile}`],
      ['ExecStartPre', commandLine([...own, ...create], [], literal)],
      ['ExecStart', commandLine([...own, 'pod', 'start', '--pod-id-file', files.podIdFile], [], literal)],
      ['ExecStop', commandLine([...own, 'pod', 'stop', '--ignore', '--pod-id-file', files.podIdFile, '-t', String(timeout)], [], literal)],
      ['ExecStopPost', commandLine([...own, 'pod', 'rm', '--ignore', '-f', '--pod-id-file', files.podIdFile], [], literal)],
      ['PIDFile', files.pidFile],
      ['Type', 'forking'],
    );
    return { name, text: render(name, o, ctx, unit, service) };
  }
  service.push(
    ['ExecStart', commandLine([...self, 'start', infraIdent])],
    ['ExecStop', commandLine([...self, 'stop', '-t', String(timeout), infraIdent])],
    ['ExecStopPost', commandLine([...self, 'stop', '-t', String(timeout), infraIdent])],
    ['PIDFile', p.infra.conmonPidFile],
    ['Type', 'forking'],
  );
  return { name, text: render(name, o, ctx, unit, service) };
}

function unitHead(name: string, ctx: UnitContext): [string, string][] {
  return [
    ['Description', `Selkie ${name}.service`],
    ['Documentation', 'man:podman-generate-systemd(1)'],
    ['Wants', 'network-online.target'],
    ['After', 'network-online.target'],
    ['RequiresMountsFor', ctx.runRoot],
  ];
}

function restartLines(o: UnitOptions): [string, string][] {
  const out: [string, string][] = [['Restart', o.restartPolicy ?? 'on-failure']];
  if (o.restartSec !== undefined && o.restartSec > 0) out.push(['RestartSec', String(o.restartSec)]);
  return out;
}

function render(name: string, o: UnitOptions, ctx: UnitContext, unit: [string, string][], service: [string, string][]): string {
  const lines: string[] = [];
  if (!o.noHeader) {
    lines.push(`# ${name}.service`, `# autogenerated by Selkie ${ctx.version}`, `# ${(ctx.now ?? new Date()).toUTCString()}`, '');
  }
  const section = (title: string, entries: [string, string][]) => {
    lines.push(`[${title}]`, ...entries.map(([k, v]) => `${k}=${v}`), '');
  };
  section('Unit', unit);
  section('Service', service);
  section('Install', [['WantedBy', 'default.target']]);
  return lines.join('\n');
}

/**
 * A command line for ExecStart= and friends: words quoted where systemd would split or expand
 * them, long lines continued with a backslash before each option (as Podman lays them out).
 */
export function commandLine(words: string[], tail: string[] = [], literal: readonly string[] = []): string {
  // `literal`: words of the unit's own (its %t files) kept as they are; the tail is the user's.
  const quoted = words.map((w) => (literal.includes(w) ? w : quoteWord(w)));
  const rest = tail.map(quoteWord);
  if ([...quoted, ...rest].join(' ').length <= 80) return [...quoted, ...rest].join(' ');
  const parts: string[] = [];
  let current = '';
  for (const w of quoted) {
    if (current && w.startsWith('-')) {
      parts.push(current);
      current = w;
    } else current = current ? `${current} ${w}` : w;
  }
  // The image and the container's command stay on the last line: their -flags are not ours.
  current = [current, ...rest].filter(Boolean).join(' ');
  if (current) parts.push(current);
  return parts.join(' \\\n\t');
}

/** Words of ours that carry systemd specifiers on purpose (more per unit: `literal`); every other % is escaped. */
const specifierWords = new Set(['--cidfile=%t/%n.ctr-id']);

/** systemd's command-line quoting: "…" with \\ and \" escapes; % doubled, $ doubled ($$ keeps a literal $). */
export function quoteWord(w: string): string {
  if (specifierWords.has(w)) return w;
  let s = w.replace(/%/g, '%%').replace(/\$/g, '$$$$');
  if (s === '' || /[\s"'\\;]/.test(s)) s = `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  return s;
}
