/**
 * The two ways to reach a selkie-spawner: one this process starts (its stdin/stdout pipes), and the
 * one the native launcher started before Node, on pipes Node inherited (read in libuv's threadpool,
 * one read at a time and only while answers are awaited, written synchronously: requests are small).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import type { SpawnerClient, Transport } from './spawner-client.js';

/** Start `binary` as this process's spawner. */
export function childTransport(client: SpawnerClient, binary: string): Transport {
  // (The spawner looks in sbin after PATH itself.)
  const child = spawn(binary, [], { stdio: ['pipe', 'pipe', 'inherit'] });
  child.on('error', () => client.fail('it could not be started'));
  child.on('exit', (code, signal) => client.fail(`it exited (${signal ?? `status ${code}`})`));
  child.stdin!.on('error', () => {});
  child.stdout!.on('data', (d: Buffer) => client.onData(d));
  child.unref();
  const stdout = child.stdout as unknown as { ref(): void; unref(): void };
  const stdin = child.stdin as unknown as { unref(): void };
  const t: Transport = {
    send: (b) => void child.stdin!.write(b),
    busy: () => stdout.ref(),
    idle: () => {
      stdout.unref();
      stdin.unref();
    },
  };
  t.idle();
  return t;
}

/** The launcher's spawner, on the inherited pipe fds `write` (requests) and `read` (answers). */
export function inheritedTransport(client: SpawnerClient, write: number, read: number): Transport {
  let reading = false;
  const buf = Buffer.allocUnsafe(64 << 10);
  const pump = () => {
    if (reading || client.inFlight === 0 || client.dead) return;
    reading = true;
    fs.read(read, buf, 0, buf.length, null, (err, n) => {
      reading = false;
      if (err || n === 0) return client.fail(err ? err.message : 'it closed its pipe');
      client.onData(Buffer.from(buf.subarray(0, n)));
      pump();
    });
  };
  return {
    send: (b) => {
      for (let off = 0; off < b.length; ) {
        try {
          off += fs.writeSync(write, b, off);
        } catch (e) {
          client.fail((e as Error).message);
          return;
        }
      }
    },
    busy: () => pump(),
    idle: () => {},
  };
}
