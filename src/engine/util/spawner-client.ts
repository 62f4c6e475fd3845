/**
 * The client side of selkie-spawner's protocol (native/conmon/selkie-spawner.c): requests framed as
 * a u32 length and a body, any number in flight, answered by id. The pipes to the spawner are a
 * Transport: the stdio pipes of a spawner this process started (child_process), or the pipes of the
 * one the native launcher started before Node (fd-transport.ts).
 */
import type { ProgramOptions, ProgramResult } from './program-runner.js';

export interface Transport {
  send(b: Buffer): void;
  /** Requests are in flight: deliver answers (onData), keep the process alive. */
  busy(): void;
  /** Nothing in flight: the transport must not keep the process alive. */
  idle(): void;
}

/** Spawner request flags. */
export const CAPTURE_STDOUT = 1;
export const SHARE_STDOUT = 2;
export const SHARE_STDIN = 4;
export const HOLD_STDERR = 8;

export interface SpawnRequest extends ProgramOptions {
  flags?: number;
  /** HOLD_STDERR: the file whose existence releases the program's stderr to the spawner's. */
  holdStderrUntil?: string;
}

interface Pending {
  resolve: (r: ProgramResult) => void;
  reject: (e: Error) => void;
  argv0: string;
  timer?: NodeJS.Timeout;
  timedOut: boolean;
}

export class SpawnerClient {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private received: Buffer = Buffer.alloc(0);
  transport?: Transport;
  dead = false;

  /** Start `argv`; `onId` learns its request id (for kill()). */
  run(argv: string[], o: SpawnRequest, onId?: (id: number) => void): Promise<ProgramResult> {
    const id = this.nextId++;
    onId?.(id);
    const env = o.env ?? process.env;
    const envList = Object.entries(env)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k}=${v}`);
    const input = o.input === undefined ? Buffer.alloc(0) : Buffer.from(o.input);
    const flags = (o.flags ?? 0) | (o.captureStdout ? CAPTURE_STDOUT : 0) | (o.holdStderrUntil ? HOLD_STDERR : 0);
    const extra = o.holdStderrUntil ? [o.holdStderrUntil] : [];
    const strings = Buffer.from([o.cwd ?? '', ...argv, ...envList, ...extra].map((s) => `${s}\0`).join(''));
    const head = Buffer.alloc(25);
    head.writeUInt32LE(21 + strings.length + input.length, 0);
    head.write('S', 4);
    head.writeUInt32LE(id, 5);
    head.writeUInt32LE(argv.length, 9);
    head.writeUInt32LE(envList.length, 13);
    head.writeUInt32LE(input.length, 17);
    head.writeUInt32LE(flags, 21);
    return new Promise((resolve, reject) => {
      if (this.dead) return reject(new Error(`Selkie's program spawner is gone; cannot run ${argv[0]}`));
      const p: Pending = { resolve, reject, argv0: argv[0]!, timedOut: false };
      if (o.timeoutMs) {
        p.timer = setTimeout(() => {
          p.timedOut = true;
          this.kill(id, 9);
        }, o.timeoutMs);
      }
      this.pending.set(id, p);
      this.transport!.busy();
      this.transport!.send(Buffer.concat([head, strings, input]));
    });
  }

  /** Signal the program of request `id`, if it still runs. */
  kill(id: number, signal: number): void {
    if (!this.dead && this.pending.has(id)) this.transport!.send(frame('K', id, signal));
  }

  onData(d: Buffer): void {
    this.received = this.received.length ? Buffer.concat([this.received, d]) : d;
    while (this.received.length >= 4) {
      const len = this.received.readUInt32LE(0);
      if (this.received.length < 4 + len) break;
      const body = this.received.subarray(4, 4 + len);
      this.received = this.received.subarray(4 + len);
      this.answer(body);
    }
  }

  get inFlight(): number {
    return this.pending.size;
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
    if (this.pending.size === 0) this.transport!.idle();
    if (status === 0xffffffff) return p.reject(spawnError(p.argv0, errno));
    p.resolve({
      code: status,
      stdout: Buffer.from(body.subarray(20, 20 + outLen)),
      stderr: Buffer.from(body.subarray(20 + outLen, 20 + outLen + errLen)),
      timedOut: p.timedOut,
    });
  }

  fail(why: string): void {
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
