/** The bridge's interactive calls (containers.exec / containers.attach, input, cancel) on the fake engine. */
import { afterEach, describe, expect, it } from 'vitest';
import type { BridgeMessage, TerminalOutput } from '../../src/bridge/protocol.js';
import { rawBridge } from './bridge-harness.js';
import { container, fakeEngine } from './fake-engine.js';
import { addFakeTerminals } from './fake-terminal.js';

const servers: { close(): void }[] = [];
afterEach(() => servers.splice(0).forEach((s) => s.close()));

function terminalBridge() {
  const fake = fakeEngine();
  fake.containers.push(container('stopped', { State: 'exited' }));
  const terminals = addFakeTerminals(fake);
  const b = rawBridge(fake);
  servers.push(b.server);
  /** Everything call `id` printed so far. */
  const output = (id: number) =>
    b.out
      .filter((m): m is { id: number; data: TerminalOutput } => 'data' in m && m.id === id)
      .map((m) => m.data.text)
      .join('');
  const until = async (pred: () => boolean, ms = 3000) => {
    const end = Date.now() + ms;
    while (!pred()) {
      if (Date.now() > end) throw new Error(`condition not met; messages: ${JSON.stringify(b.out)}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  return { ...b, terminals, output, until };
}

const isResponse = (id: number) => (m: BridgeMessage) => 'id' in m && m.id === id && ('result' in m || 'error' in m);

describe('bridge terminal sessions', () => {
  it('execs a shell with a TTY, streams its output as data, takes input, and answers with the exit code', async () => {
    const b = terminalBridge();
    b.send({ id: 1, method: 'containers.exec', params: { name: 'web', cols: 120, rows: 30 } });
    await b.until(() => b.output(1).includes('$ '));
    const opts = b.terminals.sessions[0]!.opts as { cmd: string[]; tty: boolean; interactive: boolean; env: string[] };
    expect(opts.cmd).toEqual(['/bin/sh', '-s', expect.stringMatching(/^selkie-console-[0-9a-f]{12}$/)]);
    expect(opts).toMatchObject({ tty: true, interactive: true, env: ['TERM=xterm-256color'] });
    // The page's size reaches the engine's terminal at once, and a resize later.
    await b.until(() => b.terminals.sizes.length === 1);
    expect(b.terminals.sizes).toEqual([{ cols: 120, rows: 30 }]);
    b.send({ id: 20, method: 'resize', params: { id: 1, cols: 90, rows: 25 } });
    expect(await b.response(20)).toEqual({ id: 20, result: null });
    expect(b.terminals.sizes).toEqual([{ cols: 120, rows: 30 }, { cols: 90, rows: 25 }]);
    b.send({ id: 21, method: 'resize', params: { id: 1, cols: 0, rows: 25 } });
    expect(await b.response(21)).toMatchObject({ error: { kind: 'invalid', message: 'bridge request: resize needs "id" (a number) and "cols" and "rows" (whole numbers from 1 to 1000)' } });

    b.send({ id: 2, method: 'input', params: { id: 1, data: 'echo hello-' } });
    b.send({ id: 3, method: 'input', params: { id: 1, data: 'console\r' } });
    expect(await b.response(2)).toEqual({ id: 2, result: null });
    expect(await b.response(3)).toEqual({ id: 3, result: null });
    await b.until(() => b.output(1).includes('hello-console\r\n$ '));
    expect(b.terminals.processes[0]!.input).toEqual(['echo hello-', 'console\r']);

    b.send({ id: 4, method: 'input', params: { id: 1, data: 'exit 3\n' } });
    expect(await b.response(1)).toEqual({ id: 1, result: { exitCode: 3 } });
    // Every data message came before the response.
    const last = b.out.findIndex(isResponse(1));
    expect(b.out.slice(last + 1).some((m) => 'data' in m && m.id === 1)).toBe(false);
  });

  it('coalesces output into few messages and keeps a UTF-8 character split across chunks whole', async () => {
    const b = terminalBridge();
    b.send({ id: 1, method: 'containers.attach', params: { name: 'web' } });
    await b.until(() => b.output(1).includes('# '));
    const bytes = Buffer.from('grüße ✓\r\n');
    for (let i = 0; i < bytes.length; i++) b.terminals.writeAttached(bytes.subarray(i, i + 1));
    await b.until(() => b.output(1).includes('grüße ✓\r\n'));
    expect(b.output(1)).not.toContain('\ufffd');
    // 12 one-byte writes arrived as one message (plus the prompt's).
    expect(b.out.filter((m) => 'data' in m && m.id === 1).length).toBeLessThanOrEqual(3);
  });

  it('attaches without detach keys and answers when the container exits', async () => {
    const b = terminalBridge();
    b.send({ id: 1, method: 'containers.attach', params: { name: 'web' } });
    await b.until(() => b.output(1).includes('# '));
    expect(b.terminals.sessions[0]).toMatchObject({ kind: 'attach', name: 'web', opts: { detachKeys: '' } });
    b.send({ id: 2, method: 'input', params: { id: 1, data: 'echo attached\r' } });
    await b.until(() => b.output(1).includes('attached\r\n'));
    b.terminals.exitContainer();
    expect(await b.response(1)).toEqual({ id: 1, result: { detached: false } });
  });

  it('cancel ends an exec session: the shell is found by its marker and hung up', async () => {
    const b = terminalBridge();
    b.send({ id: 1, method: 'containers.exec', params: { name: 'web', shell: '/bin/bash' } });
    await b.until(() => b.output(1).includes('$ '));
    expect(b.terminals.processes).toHaveLength(1);
    const marker = (b.terminals.sessions[0]!.opts as { cmd: string[] }).cmd;
    expect(marker).toEqual(['/bin/bash', '-s', expect.stringMatching(/^selkie-console-/)]);
    b.send({ id: 2, method: 'cancel', params: { id: 1 } });
    expect(await b.response(2)).toEqual({ id: 2, result: { cancelled: true } });
    expect(await b.response(1)).toEqual({ id: 1, result: { cancelled: true } });
    expect(b.terminals.processes).toHaveLength(0);
    const kill = b.terminals.sessions.find((s) => (s.opts as { cmd: string[] }).cmd[1] === '-c')!.opts as { cmd: string[] };
    expect(kill.cmd).toEqual(['/bin/bash', '-c', 'kill -HUP 10']);
    expect(b.fake.calls.find((c) => c.method === 'containers.top')?.args).toEqual(['web', ['pid', 'args']]);
    // Input after the end is refused: the session is gone.
    b.send({ id: 3, method: 'input', params: { id: 1, data: 'x' } });
    expect(await b.response(3)).toMatchObject({ error: { kind: 'not-found', message: 'bridge request: no call 1 is running to take input' } });
  });

  it('cancel of an attach stops relaying at once and leaves the container alone', async () => {
    const b = terminalBridge();
    b.send({ id: 1, method: 'containers.attach', params: { name: 'web' } });
    await b.until(() => b.output(1).includes('# '));
    b.send({ id: 2, method: 'cancel', params: { id: 1 } });
    expect(await b.response(1)).toEqual({ id: 1, result: { cancelled: true } });
    // The engine was told to end the attachment (AttachStreams.signal).
    expect(b.terminals.sessions[0]!.signal?.aborted).toBe(true);
    const before = b.out.length;
    b.terminals.writeAttached(Buffer.from('more output\r\n'));
    await new Promise((r) => setTimeout(r, 30));
    expect(b.out.slice(before).some((m) => 'data' in m)).toBe(false);
    expect(b.fake.calls.some((c) => c.method === 'containers.exec')).toBe(false);
  });

  it('refuses bad params and input for calls that take none, with one-line errors', async () => {
    const b = terminalBridge();
    b.send({ id: 1, method: 'containers.exec', params: {} });
    b.send({ id: 2, method: 'containers.exec', params: { name: 'web', cols: 0 } });
    b.send({ id: 3, method: 'containers.exec', params: { name: 'web', rows: 2.5 } });
    b.send({ id: 4, method: 'containers.attach', params: { name: 7 } });
    b.send({ id: 5, method: 'input', params: { id: 99, data: 'x' } });
    b.send({ id: 6, method: 'input', params: { id: 'one', data: 'x' } });
    b.send({ id: 7, method: 'input', params: { id: 1 } });
    expect(await b.response(1)).toMatchObject({ error: { kind: 'invalid', message: 'bridge request: "name" must be a non-empty string' } });
    expect(await b.response(2)).toMatchObject({ error: { kind: 'invalid', message: 'bridge request: "cols" must be a whole number from 1 to 1000' } });
    expect(await b.response(3)).toMatchObject({ error: { kind: 'invalid', message: 'bridge request: "rows" must be a whole number from 1 to 1000' } });
    expect(await b.response(4)).toMatchObject({ error: { kind: 'invalid', message: 'bridge request: "name" must be a non-empty string' } });
    expect(await b.response(5)).toMatchObject({ error: { kind: 'not-found' } });
    expect(await b.response(6)).toMatchObject({ error: { kind: 'invalid', message: 'bridge request: input needs "id" (a number) and "data" (a string)' } });
    expect(await b.response(7)).toMatchObject({ error: { kind: 'invalid' } });
    expect(b.terminals.sessions).toEqual([]);

    b.send({ id: 8, method: 'containers.logs', params: { name: 'web', follow: true } });
    b.send({ id: 9, method: 'input', params: { id: 8, data: 'x' } });
    expect(await b.response(9)).toMatchObject({ error: { kind: 'invalid', message: 'bridge request: call 8 does not take input' } });
    b.send({ id: 10, method: 'cancel', params: { id: 8 } });
    await b.response(8);
  });

  it('passes the engine error when the container is not running', async () => {
    const b = terminalBridge();
    b.send({ id: 1, method: 'containers.exec', params: { name: 'stopped' } });
    b.send({ id: 2, method: 'containers.attach', params: { name: 'ghost' } });
    expect(await b.response(1)).toEqual({
      id: 1,
      error: { kind: 'conflict', message: 'container stopped is not running, so nothing can be executed in it', hint: 'start it with selkie start stopped' },
    });
    expect(await b.response(2)).toMatchObject({ error: { kind: 'not-found', message: 'container "ghost" not found' } });
  });
});
