/**
 * An OCI runtime binary (runc, crun, or a compatible one) and the commands Selkie runs directly:
 * start, kill, delete, state, pause, resume, version. (create runs under conmon, see conmon.ts.)
 * Every command carries `--root <runRoot>/<name>` so Selkie's containers live apart from other
 * engines', plus the cgroup manager flag where the runtime needs one.
 */
import { runProgram, type ProgramResult } from '../util/program-runner.js';
import { existsSync } from 'node:fs';
import os from 'node:os';
import { basename, join } from 'node:path';
import { SelkieError, invalid, isSelkieError } from '../errors.js';
import type { OciState } from './oci-types.js';
import { commandError } from './runtime-error.js';

export type CgroupManager = 'cgroupfs' | 'systemd';

export interface RuntimeVersion {
  /** "runc", "crun". */
  name: string;
  /** "1.1.5+ds1". */
  version: string;
  /** The whole first line: "runc version 1.1.5+ds1". */
  text: string;
}

export interface OciRuntimeOptions {
  /** Selkie's run root; the runtime keeps its state in <runRoot>/<name>. */
  runRoot: string;
  /** Default cgroupfs. */
  cgroupManager?: CgroupManager;
  /** Milliseconds before a runtime command is killed; default 60 s. */
  timeout?: number;
}

export class OciRuntime {
  readonly name: string;
  /** The runtime's state directory (its --root). */
  readonly root: string;
  readonly cgroupManager: CgroupManager;
  private readonly timeout: number;

  constructor(
    readonly path: string,
    opts: OciRuntimeOptions,
  ) {
    this.name = runtimeNameOf(path);
    this.root = join(opts.runRoot, this.name);
    this.cgroupManager = opts.cgroupManager ?? 'cgroupfs';
    this.timeout = opts.timeout ?? 60_000;
  }

  /** Global flags for every invocation, also handed to conmon as --runtime-arg for create. */
  globalArgs(): string[] {
    const args = ['--root', this.root];
    if (this.name === 'crun') args.push(`--cgroup-manager=${this.cgroupManager}`);
    else if (this.cgroupManager === 'systemd') args.push('--systemd-cgroup');
    return args;
  }

  async start(id: string): Promise<void> {
    await this.run(['start', id]);
  }

  /** Send a signal (name like "SIGTERM"/"TERM" or number) to the container's init, or with `all` to every process. */
  async kill(id: string, signal: string | number = 'SIGTERM', opts: { all?: boolean } = {}): Promise<void> {
    const sig = String(signalNumber(signal));
    await this.run(opts.all ? ['kill', '--all', id, sig] : ['kill', id, sig]);
  }

  /** Remove the runtime's state. With `force`, kill a running container first and ignore a missing one. */
  async delete(id: string, opts: { force?: boolean } = {}): Promise<void> {
    // Nothing to delete (never created, or deleted already): skip a runtime start-up (~30 ms of CPU).
    if (opts.force && !this.hasState(id)) return;
    try {
      await this.run(opts.force ? ['delete', '--force', id] : ['delete', id]);
    } catch (e) {
      if (opts.force && isSelkieError(e) && isMissingContainer(e.message)) return;
      throw e;
    }
  }

  /** Whether the runtime keeps state for the container (runc and crun keep it in <root>/<id>). */
  hasState(id: string): boolean {
    return existsSync(join(this.root, id));
  }

  /** The runtime's view of the container; a not-found error when the runtime does not know it. */
  async state(id: string): Promise<OciState> {
    let out: string;
    try {
      out = await this.run(['state', id]);
    } catch (e) {
      if (isSelkieError(e) && isMissingContainer(e.message)) {
        throw new SelkieError('not-found', `container ${id.slice(0, 12)} is not known to ${this.name}`, { cause: e });
      }
      throw e;
    }
    try {
      return JSON.parse(out) as OciState;
    } catch (e) {
      throw new SelkieError('runtime', `${this.name} state ${id}: unreadable output`, { cause: e });
    }
  }

  async pause(id: string): Promise<void> {
    await this.run(['pause', id]);
  }

  async resume(id: string): Promise<void> {
    await this.run(['resume', id]);
  }

  async version(): Promise<RuntimeVersion> {
    const out = await this.exec(['--version']);
    return parseVersionLine(out, this.name);
  }

  /** Run a runtime command with the global flags; resolves with its stdout. */
  run(args: string[]): Promise<string> {
    return this.exec([...this.globalArgs(), ...args], args).catch((e: unknown) => {
      throw isSelkieError(e) ? e : new SelkieError('runtime', `${this.name}: ${String(e)}`, { cause: e });
    });
  }

  private async exec(argv: string[], shown: string[] = argv): Promise<string> {
    let r: ProgramResult;
    try {
      r = await runProgram([this.path, ...argv], { captureStdout: true, timeoutMs: this.timeout });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'EACCES') {
        throw new SelkieError('missing-tool', `OCI runtime ${this.path} cannot be run (${code})`, { cause: e });
      }
      throw e;
    }
    if (r.code === 0 && !r.timedOut) return r.stdout.toString('utf8');
    const brief = shown.map((a) => (/^[0-9a-f]{64}$/.test(a) ? a.slice(0, 12) : a));
    throw commandError(this.name, brief, r.stderr.toString('utf8'), r.timedOut ? `timed out after ${this.timeout} ms` : `exit status ${r.code}`);
  }
}

/** "runc version 1.1.5+ds1" → { name: runc, version: 1.1.5+ds1 }. */
export function parseVersionLine(output: string, fallbackName: string): RuntimeVersion {
  const first = output.split('\n').find((l) => l.trim()) ?? '';
  const m = first.trim().match(/^(\S+)\s+version\s+(\S+)/i);
  return { name: m?.[1] ?? fallbackName, version: m?.[2] ?? first.trim(), text: first.trim() };
}

/** "SIGKILL", "KILL", "kill", "9", 9 → 9. */
export function signalNumber(signal: string | number): number {
  if (typeof signal === 'number' || /^\d+$/.test(signal)) {
    const n = Number(signal);
    if (n > 0 && n <= 64) return n;
    throw invalid(`invalid signal ${signal}`);
  }
  const upper = signal.toUpperCase();
  const name = (upper.startsWith('SIG') ? upper : `SIG${upper}`) as keyof typeof os.constants.signals;
  const n = os.constants.signals[name];
  if (n === undefined) {
    const rt = upper.match(/^(?:SIG)?RTM(IN|AX)([+-]\d+)?$/);
    if (rt) return (rt[1] === 'IN' ? 34 : 64) + Number(rt[2] ?? 0);
    throw invalid(`invalid signal "${signal}"`, 'use a name like SIGTERM or a number');
  }
  return n;
}

function isMissingContainer(message: string): boolean {
  return /does not exist|not exist|no such file or directory|not found/i.test(message);
}

/** "/usr/bin/runc" → "runc"; a wrapper like "/opt/bin/runc-1.1" keeps its base name. */
export function runtimeNameOf(p: string): string {
  return basename(p);
}
