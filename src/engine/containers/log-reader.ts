/**
 * Reads conmon's k8s-file log: one record per line, "TIME STREAM F|P TEXT", where P marks a partial
 * line continued by the next record. With `follow`, keeps reading until `done()` says the container
 * has exited and the file has no more data.
 */
import fs from 'node:fs';
import type { LogLine, LogOptions } from '../types/container.js';

export function parseLogRecord(line: string): LogLine | undefined {
  const a = line.indexOf(' ');
  const b = line.indexOf(' ', a + 1);
  const c = line.indexOf(' ', b + 1);
  if (a < 0 || b < 0) return undefined;
  const stream = line.slice(a + 1, b);
  if (stream !== 'stdout' && stream !== 'stderr') return undefined;
  const flag = c < 0 ? line.slice(b + 1) : line.slice(b + 1, c);
  return { time: line.slice(0, a), stream, partial: flag === 'P', text: c < 0 ? '' : line.slice(c + 1) };
}

export async function* readLog(file: string, opts: LogOptions, done: () => boolean): AsyncGenerator<LogLine> {
  let pos = 0;
  let carry = '';
  const inRange = (l: LogLine) => {
    const t = Date.parse(l.time);
    return (opts.since === undefined || t >= opts.since) && (opts.until === undefined || t <= opts.until);
  };
  const readNew = (): LogLine[] => {
    let fd: number;
    try {
      fd = fs.openSync(file, 'r');
    } catch {
      return [];
    }
    const chunks: Buffer[] = [];
    try {
      const buf = Buffer.allocUnsafe(1 << 16);
      for (;;) {
        const n = fs.readSync(fd, buf, 0, buf.length, pos);
        if (n <= 0) break;
        chunks.push(Buffer.from(buf.subarray(0, n)));
        pos += n;
      }
    } finally {
      fs.closeSync(fd);
    }
    const text = carry + Buffer.concat(chunks).toString('utf8');
    const lines = text.split('\n');
    carry = lines.pop() ?? '';
    return lines.map(parseLogRecord).filter((l): l is LogLine => l !== undefined && inRange(l));
  };

  let first = readNew();
  if (opts.tail !== undefined && opts.tail >= 0) first = tailLines(first, opts.tail);
  yield* first;
  if (!opts.follow) return;
  for (;;) {
    const exited = done();
    const more = readNew();
    yield* more;
    if (exited && more.length === 0) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The records that make up the last n full lines (a partial record belongs with the next one). */
function tailLines(lines: LogLine[], n: number): LogLine[] {
  if (n === 0) return [];
  let full = 0;
  for (let i = lines.length - 1; i >= 0; i--) {
    if (!lines[i]!.partial) {
      full++;
      if (full > n) return lines.slice(i + 1);
    }
  }
  return lines;
}
