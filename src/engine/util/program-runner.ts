/**
 * Runs the engine's short-lived programs (runc start/delete, ip, nft, selkie-mount, ...) through
 * Selkie's selkie-spawner helper (native/conmon/selkie-spawner.c): Node's child_process forks the
 * whole Node process and blocks until the child has exec'd, 5-10 ms of the main thread per program;
 * the spawner, started once per process, uses posix_spawn and the engine waits for nothing but the
 * answer. Where the helper is missing, or SELKIE_SPAWNER=0, child_process does the same job.
 *
 * Only for programs that need no file descriptors of ours: stdin is the given bytes, stdout and
 * stderr are captured.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { nativeDir } from '../runtime/native-binary.js';

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

/** Directories with the system tools, looked in after PATH (ip, nft and friends live in sbin). */
const SBIN = ['/usr/local/sbin', '/usr/sbin', '/sbin'];

interface Pending {
  resolve: (r: ProgramResult) => void;
  reject: (e: Error) => void;
  argv0: string;
  timer?: NodeJS.Timeout;
  timedOut: boolean;
}

class Spawner {
  private readonly child: ChildProcess;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private received: Buffer = Buffer.alloc(0);
  dead = false;

  constructor(binary: string) {
    const env = { ...process.env, PATH: [process.env.PATH ?? '/usr/bin:/bin', ...SBIN].join(':') };
    this.child = spawn(binary, [], { stdio: ['pipe', 'pipe', 'inherit'], env });
    this.child.on('error', () => this.fail('it could not be started'));
    this.child.on('exit', (code, signal) => this.fail(`it exited (${signal ?? `status ${code}`})`));
    this.child.stdin!.on('error', () => {});
    this.child.stdout!.on('data', (d: Buffer) => this.onData(d));
    this.child.unref();
    this.idle();
  }

  run(argv: string[], o: ProgramOptions): Promise<ProgramResult> {
    const id = this.nextId++;
    const env = o.env ?? process.env;
    const envList = Object.entries(env)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k}=${v}`);
    const input = o.input === undefined ? Buffer.alloc(0) : Buffer.from(o.input);
    const strings = Buffer.from([o.cwd ?? '', ...argv, ...envList].map((s) => `${s}\0`).join(''));
    const head = Buffer.alloc(25);
    head.writeUInt32LE(21 + strings.length + input.length, 0);
    head.write('S', 4);
    head.writeUInt32LE(id, 5);
    head.writeUInt32LE(argv.length, 9);
    head.writeUInt32LE(envList.length, 13);
    head.writeUInt32LE(input.length, 17);
    head.writeUInt32LE(o.captureStdout ? 1 : 0, 21);
    return new Promise((resolve, reject) => {
      const p: Pending = { resolve, reject, argv0: argv[0]!, timedOut: false };
      if (o.timeoutMs) {
        p.timer = setTimeout(() => {
          p.timedOut = true;
          this.send(frame('K', id, 9));
        }, o.timeoutMs);
      }
      this.pending.set(id, p);
      this.busy();
      this.send(Buffer.concat([head, strings, input]));
    });
  }

  private send(b: Buffer): void {
    this.child.stdin!.write(b);
  }

  private onData(d: Buffer): void {
    this.received = this.received.length ? Buffer.concat([this.received, d]) : d;
    while (this.received.length >= 4) {
      const len = this.received.readUInt32LE(0);
      if (this.received.length < 4 + len) break;
      const body = this.received.subarray(4, 4 + len);
      this.received = this.received.subarray(4 + len);
      this.answer(body);
    }
  }

  private answer(body: Buffer): void {
    const id = body.readUInt32LE(0);
    const status = body.readUInt32LE(4);
    const errno = body.readUInt32LE(8);
    const outLen = body.readUInt32LE(12);
    const errLen = body.readUInt32LE(16);
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    clearTimeout(p.timer);
    if (this.pending.size === 0) this.idle();
    if (status === 0xffffffff) return p.reject(spawnError(p.argv0, errno));
    p.resolve({
      code: status,
      stdout: Buffer.from(body.subarray(20, 20 + outLen)),
      stderr: Buffer.from(body.subarray(20 + outLen, 20 + outLen + errLen)),
      timedOut: p.timedOut,
    });
  }

  /** Nothing in flight: the spawner must not keep the process alive. */
  private idle(): void {
    (this.child.stdout as unknown as { unref(): void }).unref();
    (this.child.stdin as unknown as { unref(): void }).unref();
  }

  private busy(): void {
    (this.child.stdout as unknown as { ref(): void }).ref();
  }

  private fail(why: string): void {
    if (this.dead) return;
    this.dead = true;
    for (const [, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new Error(`Selkie's program spawner stopped before ${p.argv0} finished: ${why}`));
    }
    this.pending.clear();
  }
}

function frame(kind: string, ...values: number[]): Buffer {
  const b = Buffer.alloc(5 + 4 * values.length);
  b.writeUInt32LE(1 + 4 * values.length, 0);
  b.write(kind, 4);
  values.forEach((v, i) => b.writeUInt32LE(v, 5 + 4 * i));
  return b;
}

/** The error child_process would give for a program that cannot be started. */
function spawnError(argv0: string, errno: number): NodeJS.ErrnoException {
  const names: Record<number, string> = { 2: 'ENOENT', 13: 'EACCES', 8: 'ENOEXEC', 20: 'ENOTDIR', 7: 'E2BIG', 22: 'EINVAL' };
  const code = names[errno] ?? `E${errno}`;
  const e = new Error(`spawn ${argv0} ${code}`) as NodeJS.ErrnoException;
  e.code = code;
  e.errno = -errno;
  e.syscall = `spawn ${argv0}`;
  e.path = argv0;
  return e;
}

let spawner: Spawner | undefined;
let unavailable = false;

function theSpawner(): Spawner | undefined {
  if (spawner && !spawner.dead) return spawner;
  if (unavailable || process.env.SELKIE_SPAWNER === '0') return undefined;
  const binary = path.join(nativeDir(), 'selkie-spawner');
  try {
    fs.accessSync(binary, fs.constants.X_OK);
  } catch {
    unavailable = true;
    return undefined;
  }
  spawner = new Spawner(binary);
  return spawner;
}

/** Run `argv` to completion: its status and output; rejects (like child_process) when it cannot be started. */
export function runProgram(argv: string[], o: ProgramOptions = {}): Promise<ProgramResult> {
  const s = theSpawner();
  if (s) return s.run(argv, o);
  return runWithChildProcess(argv, o);
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
