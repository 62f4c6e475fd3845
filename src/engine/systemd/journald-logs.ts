/**
 * `logs` of a container using the journald log driver: the journal's entries with the container's
 * CONTAINER_ID_FULL (conmon's field), read with `journalctl -o json`. PRIORITY 3 is stderr, 6
 * stdout (conmon's choice); CONTAINER_PARTIAL_MESSAGE marks a line without its newline.
 */
import { spawn } from 'node:child_process';
import readline from 'node:readline';
import { SelkieError } from '../errors.js';
import type { LogLine, LogOptions } from '../types/container.js';
import { which } from '../util/which.js';

export function journalctlArgs(id: string, opts: LogOptions): string[] {
  const args = ['--no-pager', '-o', 'json', `CONTAINER_ID_FULL=${id}`];
  if (opts.since !== undefined) args.push(`--since=@${Math.floor(opts.since / 1000)}`);
  if (opts.until !== undefined) args.push(`--until=@${Math.ceil(opts.until / 1000)}`);
  if (opts.tail !== undefined && opts.tail >= 0) args.push('-n', String(opts.tail));
  if (opts.follow) args.push('-f');
  return args;
}

export function journalEntryToLine(entry: Record<string, unknown>): LogLine | undefined {
  const message = entry.MESSAGE;
  const text = typeof message === 'string' ? message : Array.isArray(message) ? Buffer.from(message as number[]).toString() : undefined;
  if (text === undefined) return undefined;
  const usec = Number(entry.__REALTIME_TIMESTAMP ?? 0);
  const ms = Math.floor(usec / 1000);
  const time = `${new Date(ms).toISOString().slice(0, 19)}.${String(usec % 1_000_000).padStart(6, '0')}000Z`;
  return { stream: String(entry.PRIORITY) === '3' ? 'stderr' : 'stdout', time, text, partial: entry.CONTAINER_PARTIAL_MESSAGE === 'true' };
}

export async function* readJournalLog(id: string, name: string, opts: LogOptions, done: () => boolean): AsyncGenerator<LogLine> {
  const journalctl = which('journalctl');
  if (!journalctl) throw new SelkieError('missing-tool', `cannot read the logs of ${name}: it logs to the journal and journalctl is not installed`, { hint: 'install systemd (journalctl)' });
  const child = spawn(journalctl, journalctlArgs(id, opts), { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number>((resolve) => child.once('close', (code) => resolve(code ?? 1)));
  // A followed log ends when the container has exited.
  const poll = opts.follow ? setInterval(() => done() && setTimeout(() => child.kill('SIGTERM'), 500), 1000) : undefined;
  try {
    for await (const line of readline.createInterface({ input: child.stdout })) {
      if (!line.trim()) continue;
      const l = journalEntryToLine(JSON.parse(line) as Record<string, unknown>);
      if (l) yield l;
    }
    const code = await exited;
    if (code !== 0 && !opts.follow) throw new SelkieError('runtime', `journalctl failed reading the logs of ${name}: ${stderr.trim() || `exit status ${code}`}`);
  } finally {
    if (poll) clearInterval(poll);
    child.kill('SIGTERM');
  }
}
