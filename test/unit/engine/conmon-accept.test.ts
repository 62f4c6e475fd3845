/**
 * waitForAccept: the attach client counts as accepted once conmon holds a socket it did not hold
 * before, even when conmon closed other fds meanwhile (as it does with its pipes to the runtime).
 * A small Node process stands in for conmon: it listens on a unix socket and holds a pipe.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { conmonSockets, waitForAccept } from '../../../src/engine/containers/conmon-accept.js';

const STAND_IN = `
const net = require('net');
const server = net.createServer(() => {}).listen(process.argv[1], () => process.stdout.write('listening\\n'));
process.stdin.on('data', (d) => { if (String(d).includes('close')) { require('fs').closeSync(3); process.stdout.write('closed\\n'); } });
`;

let child: ChildProcess | undefined;
let dir: string | undefined;
afterEach(() => {
  child?.kill('SIGKILL');
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const line = (c: ChildProcess, text: string) =>
  new Promise<void>((resolve) => {
    let out = '';
    const on = (d: Buffer) => {
      out += d.toString();
      if (out.includes(text)) {
        c.stdout!.off('data', on);
        resolve();
      }
    };
    c.stdout!.on('data', on);
  });

describe('waitForAccept', () => {
  it('sees the accepted client although another fd was closed meanwhile', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'selkie-accept-'));
    const sock = path.join(dir, 'attach');
    child = spawn(process.execPath, ['-e', STAND_IN, sock], { stdio: ['pipe', 'pipe', 'inherit', 'pipe'] });
    await line(child, 'listening');
    const before = conmonSockets(child.pid!);
    expect(before).toBeDefined();
    child.stdin!.write('close\n'); // one fd fewer, as when conmon closes a pipe
    await line(child, 'closed');
    const client = net.connect(sock);
    await new Promise((r) => client.once('connect', r));
    const t0 = Date.now();
    await waitForAccept(child.pid!, before, 5000);
    expect(Date.now() - t0).toBeLessThan(2000);
    const after = conmonSockets(child.pid!)!;
    expect([...after].some((s) => !before!.has(s))).toBe(true);
    client.destroy();
  });

  it('gives up after its timeout when nothing is accepted, and at once for a process that is gone', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'selkie-accept-'));
    child = spawn(process.execPath, ['-e', STAND_IN, path.join(dir, 'attach')], { stdio: ['pipe', 'pipe', 'inherit', 'pipe'] });
    await line(child, 'listening');
    const t0 = Date.now();
    await waitForAccept(child.pid!, conmonSockets(child.pid!), 300);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
    expect(conmonSockets(2 ** 22 + 12345)).toBeUndefined();
    const t1 = Date.now();
    await waitForAccept(2 ** 22 + 12345, new Set(), 5000);
    expect(Date.now() - t1).toBeLessThan(1000);
  });
});
