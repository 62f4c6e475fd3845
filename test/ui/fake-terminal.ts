/**
 * Terminal sessions on top of the fake engine (fake-engine.ts): exec runs a tiny line-echoing "shell"
 * (prompt "$ ", `echo WORDS` prints WORDS, `exit [N]` ends it, SIGHUP/SIGKILL through a
 * `SHELL -c 'kill -SIG PID...'` exec end it with 129/137), top lists the shells with their argv,
 * attach relays to the container's own shell until the test ends the container.
 */
import type { AttachStreams } from '../../src/engine/engine.js';
import { SelkieError } from '../../src/engine/errors.js';
import type { AttachOptions, ExecOptions, ExecResult } from '../../src/engine/types/container-ops.js';
import type { FakeEngine } from './fake-engine.js';

interface FakeProcess {
  pid: number;
  args: string;
  input: string[];
  end(code: number): void;
}

export interface FakeTerminals {
  /** Every exec and attach with its options. */
  sessions: { kind: 'exec' | 'attach'; name: string; opts?: ExecOptions | AttachOptions; signal?: AbortSignal }[];
  /** Shells still running. */
  processes: FakeProcess[];
  /** The container's main process ends: attachments end (not detached). */
  exitContainer(): void;
  /** Write raw bytes to every attached stdout (to split UTF-8 sequences). */
  writeAttached(bytes: Buffer): void;
  /** Terminal sizes the sessions were given (AttachStreams.resize), in order. */
  sizes: { rows: number; cols: number }[];
}

export function addFakeTerminals(fake: FakeEngine): FakeTerminals {
  let nextPid = 10;
  const processes: FakeProcess[] = [];
  const sessions: FakeTerminals['sessions'] = [];
  const sizes: FakeTerminals['sizes'] = [];
  const watchSize = (streams?: AttachStreams) => streams?.resize?.on('resize', (s) => sizes.push(s));
  const attached: { stdout?: NodeJS.WritableStream; end(): void }[] = [];
  const running = (name: string) => {
    const c = fake.containers.find((x) => x.Names[0] === name || x.Id === name);
    if (!c) throw new SelkieError('not-found', `container "${name}" not found`);
    if (c.State !== 'running') throw new SelkieError('conflict', `container ${name} is not running, so nothing can be executed in it`, { hint: `start it with selkie start ${name}` });
  };

  /** A line-based shell on the given streams; resolves with its exit code. */
  const shell = (args: string, streams: AttachStreams, prompt = '$ '): { proc: FakeProcess; done: Promise<number> } => {
    let end: (code: number) => void = () => undefined;
    const done = new Promise<number>((r) => (end = r));
    const proc: FakeProcess = { pid: nextPid++, args, input: [], end: (code) => end(code) };
    processes.push(proc);
    void done.then(() => processes.splice(processes.indexOf(proc), 1));
    streams.stdout?.write(prompt);
    let buffered = '';
    streams.stdin?.on('data', (d: Buffer) => {
      const text = d.toString();
      proc.input.push(text);
      buffered += text;
      for (let nl = buffered.search(/[\r\n]/); nl >= 0; nl = buffered.search(/[\r\n]/)) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        streams.stdout?.write(`${line}\r\n`);
        const exit = /^exit(?:\s+(\d+))?$/.exec(line.trim());
        if (exit) return end(Number(exit[1] ?? 0));
        if (line.startsWith('echo ')) streams.stdout?.write(`${line.slice(5)}\r\n`);
        streams.stdout?.write(prompt);
      }
    });
    return { proc, done };
  };

  const exec = async (name: string, opts: ExecOptions, streams?: AttachStreams): Promise<ExecResult> => {
    fake.calls.push({ method: 'containers.exec', args: [name, opts] });
    sessions.push({ kind: 'exec', name, opts });
    running(name);
    watchSize(streams);
    const kill = /^kill -(HUP|KILL) ([\d ]+)$/.exec(opts.cmd[2] ?? '');
    if (opts.cmd[1] === '-c' && kill) {
      for (const pid of kill[2]!.split(' ').map(Number)) processes.find((p) => p.pid === pid)?.end(kill[1] === 'HUP' ? 129 : 137);
      return { sessionId: 'kill', exitCode: 0 };
    }
    const { done } = shell(opts.cmd.join(' '), streams ?? {});
    return { sessionId: 'exec1', exitCode: await done };
  };

  const attach = async (name: string, streams: AttachStreams, opts?: AttachOptions): Promise<{ detached: boolean }> => {
    fake.calls.push({ method: 'containers.attach', args: [name, opts] });
    sessions.push({ kind: 'attach', name, opts, signal: streams.signal });
    running(name);
    watchSize(streams);
    const { done } = shell('sh', streams, '# ');
    attached.push({ stdout: streams.stdout, end: () => processes.find((p) => p.args === 'sh')?.end(0) });
    await done;
    return { detached: false };
  };

  const top = async (name: string, descriptors?: string[]) => {
    fake.calls.push({ method: 'containers.top', args: [name, descriptors] });
    return { titles: ['PID', 'COMMAND'], processes: processes.map((p) => [String(p.pid), p.args]) };
  };

  // The fake's services are Proxies with a get trap only: assigning adds to the underlying object.
  Object.assign(fake.engine.containers, { exec, attach, top });
  return {
    sessions,
    sizes,
    processes,
    exitContainer: () => attached.splice(0).forEach((a) => a.end()),
    writeAttached: (bytes) => attached.forEach((a) => a.stdout?.write(bytes)),
  };
}
