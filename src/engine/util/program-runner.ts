/**
 * Runs the engine's short-lived programs (runc start/delete, ip, nft, selkie-mount, ...) through
 * Selkie's selkie-spawner helper (native/conmon/selkie-spawner.c): Node's child_process forks the
 * whole Node process and blocks until the child has exec'd, 5-10 ms of the main thread per program;
 * the spawner, started once per process, uses posix_spawn and the engine waits for nothing but the
 * answer. The spawner is the one the native launcher started for this process where there is one
 * (cli/inherited-spawner.ts), else one started here on first use. Where the helper is missing, or
 * SELKIE_SPAWNER=0, child_process does the same job.
 *
 * Only for programs that need no file descriptors of ours: stdin is the given bytes, stdout and
 * stderr are captured.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { nativeDir } from '../runtime/native-binary.js';
import { SHARE_STDIN, SHARE_STDOUT, SpawnerClient } from './spawner-client.js';
import { childTransport, inheritedTransport } from './spawner-transports.js';

export interface ProgramOptions {
  input?: string | Buffer;
  cwd?: string;
  /** The program's environment (default: this process's). */
  env?: NodeJS.ProcessEnv;
  /** Keep stdout (default: it goes to /dev/null). */
  captureStdout?: boolean;
  /** Kill it (SIGKILL) after this long; the result then has timedOut. */
  timeoutMs?: number;
}

export interface ProgramResult {
  /** The exit status; 128+N when a signal N ended it. */
  code: number;
  stdout: Buffer;
  stderr: Buffer;
  timedOut: boolean;
}

/** Directories with the system tools, looked in after PATH (ip, nft and friends live in sbin): the child_process fallback's, as selkie-spawner does. */
const SBIN = ['/usr/local/sbin', '/usr/sbin', '/sbin'];

let spawner: SpawnerClient | undefined;
let inherited: SpawnerClient | undefined;
let unavailable = false;

/** The launcher's spawner (cli/inherited-spawner.ts put its pipes here), if this process has one. */
function inheritedSpawner(): SpawnerClient | undefined {
  if (inherited) return inherited.dead ? undefined : inherited;
  const fds = (globalThis as Record<symbol, unknown>)[Symbol.for('selkie.inheritedSpawner')] as { write: number; read: number } | undefined;
  if (!fds || process.env.SELKIE_SPAWNER === '0') return undefined;
  inherited = new SpawnerClient();
  inherited.transport = inheritedTransport(inherited, fds.write, fds.read);
  return inherited;
}

function theSpawner(): SpawnerClient | undefined {
  const own = inheritedSpawner();
  if (own) return own;
  if (spawner && !spawner.dead) return spawner;
  if (unavailable || process.env.SELKIE_SPAWNER === '0') return undefined;
  const binary = path.join(nativeDir(), 'selkie-spawner');
  try {
    fs.accessSync(binary, fs.constants.X_OK);
  } catch {
    unavailable = true;
    return undefined;
  }
  spawner = new SpawnerClient();
  spawner.transport = childTransport(spawner, binary);
  return spawner;
}

/** Run `argv` to completion: its status and output; rejects (like child_process) when it cannot be started. */
export function runProgram(argv: string[], o: ProgramOptions = {}): Promise<ProgramResult> {
  const s = theSpawner();
  if (s) return s.run(argv, o);
  return runWithChildProcess(argv, o);
}

/**
 * A program on this process's own stdout (and stdin with `stdin`), through the launcher's spawner,
 * which shares them; its stderr is held back until `holdStderrUntil` exists, then passed through
 * (what was held is in the result). Undefined when there is no such spawner: use child_process.
 */
export function runOnOwnStdio(
  argv: string[],
  o: { stdin: boolean; holdStderrUntil: string },
): { done: Promise<ProgramResult>; kill(signal: number): void } | undefined {
  const s = inheritedSpawner();
  if (!s) return undefined;
  let id = 0;
  const done = s.run(argv, { flags: SHARE_STDOUT | (o.stdin ? SHARE_STDIN : 0), holdStderrUntil: o.holdStderrUntil }, (i) => (id = i));
  return { done, kill: (signal) => s.kill(id, signal) };
}

/** The same through child_process (no spawner): the fallback, and the reference the spawner is tested against. */
export function runWithChildProcess(argv: string[], o: ProgramOptions = {}): Promise<ProgramResult> {
  return new Promise((resolve, reject) => {
    const env = { ...(o.env ?? process.env) };
    env.PATH = [env.PATH ?? '/usr/bin:/bin', ...SBIN].join(':');
    const child = spawn(argv[0]!, argv.slice(1), { cwd: o.cwd, env, stdio: ['pipe', o.captureStdout ? 'pipe' : 'ignore', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const timer = o.timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          child.kill('SIGKILL');
        }, o.timeoutMs)
      : undefined;
    child.stdout?.on('data', (b: Buffer) => out.push(b));
    child.stderr!.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const n = signal ? 128 + (os.constants.signals[signal] ?? 0) : (code ?? 1);
      resolve({ code: n, stdout: Buffer.concat(out), stderr: Buffer.concat(err), timedOut });
    });
    child.stdin!.on('error', () => {}); // it may exit before reading everything; its status tells
    child.stdin!.end(o.input ?? '');
  });
}
