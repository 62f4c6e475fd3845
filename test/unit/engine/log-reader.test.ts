import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLogRecord, readLog } from '../../../src/engine/containers/log-reader.js';

const collect = async (it: AsyncIterable<unknown>) => {
  const out = [];
  for await (const x of it) out.push(x);
  return out;
};

describe('k8s-file log reader', () => {
  it('parses records, including partial and empty lines', () => {
    expect(parseLogRecord('2024-01-01T00:00:00.000000001+00:00 stdout F hello world')).toEqual({ time: '2024-01-01T00:00:00.000000001+00:00', stream: 'stdout', partial: false, text: 'hello world' });
    expect(parseLogRecord('2024-01-01T00:00:00Z stderr P part')).toMatchObject({ stream: 'stderr', partial: true, text: 'part' });
    expect(parseLogRecord('2024-01-01T00:00:00Z stdout F')).toMatchObject({ text: '' });
    expect(parseLogRecord('garbage')).toBeUndefined();
  });

  it('reads all, tails whole lines, and filters by time', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'selkie-log-'));
    const file = path.join(dir, 'ctr.log');
    fs.writeFileSync(
      file,
      [
        '2024-01-01T00:00:01Z stdout F one',
        '2024-01-01T00:00:02Z stdout P tw',
        '2024-01-01T00:00:02Z stdout F o',
        '2024-01-01T00:00:03Z stderr F three',
        '',
      ].join('\n'),
    );
    const texts = (ls: unknown[]) => (ls as { text: string }[]).map((l) => l.text);
    expect(texts(await collect(readLog(file, {}, () => true)))).toEqual(['one', 'tw', 'o', 'three']);
    expect(texts(await collect(readLog(file, { tail: 2 }, () => true)))).toEqual(['tw', 'o', 'three']);
    expect(texts(await collect(readLog(file, { tail: 0 }, () => true)))).toEqual([]);
    expect(texts(await collect(readLog(file, { since: Date.parse('2024-01-01T00:00:02Z') }, () => true)))).toEqual(['tw', 'o', 'three']);
    expect(texts(await collect(readLog(file, { until: Date.parse('2024-01-01T00:00:01Z') }, () => true)))).toEqual(['one']);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('follows until the container has exited and the file is drained', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'selkie-log-'));
    const file = path.join(dir, 'ctr.log');
    fs.writeFileSync(file, '2024-01-01T00:00:01Z stdout F first\n');
    let exited = false;
    setTimeout(() => {
      fs.appendFileSync(file, '2024-01-01T00:00:02Z stdout F second\n');
      exited = true;
    }, 150);
    const lines = (await collect(readLog(file, { follow: true }, () => exited))) as { text: string }[];
    expect(lines.map((l) => l.text)).toEqual(['first', 'second']);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
