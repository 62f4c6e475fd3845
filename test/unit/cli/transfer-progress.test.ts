import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { barLine, formatBytes, plainTransferProgress, ttyTransferProgress } from '../../../src/cli/output/transfer-progress.js';

const A = `sha256:${'a'.repeat(64)}`;
const C = `sha256:${'c'.repeat(64)}`;

function sink(): { out: PassThrough; text: () => string } {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  return { out, text: () => Buffer.concat(chunks).toString('utf8') };
}

describe('transfer progress', () => {
  it('formats sizes as podman (mpb KiB counters)', () => {
    expect(formatBytes(293)).toBe('293.0b');
    expect(formatBytes(1052053)).toBe('1.0MiB');
    expect(formatBytes(12.3 * 1024 * 1024)).toBe('12.3MiB');
    expect(formatBytes(3 * 1024 ** 3)).toBe('3.0GiB');
  });

  it('draws a bar line, then done / skipped', () => {
    const half = barLine('blob', 'aaaaaaaaaaaa', 'copying', 512, 1024);
    expect(half).toMatch(/^Copying blob aaaaaaaaaaaa \[=+>-+\] 512\.0b \/ 1\.0KiB$/);
    expect(half.match(/=/g)!.length).toBe(19);
    expect(barLine('blob', 'aaaaaaaaaaaa', 'copying', 1024, 1024)).toBe(`Copying blob aaaaaaaaaaaa [${'='.repeat(38)}] 1.0KiB / 1.0KiB`);
    expect(barLine('blob', 'aaaaaaaaaaaa', 'done', 0, 0)).toBe('Copying blob aaaaaaaaaaaa done');
    expect(barLine('blob', 'aaaaaaaaaaaa', 'skipped', 0, 0)).toBe('Copying blob aaaaaaaaaaaa skipped: already exists');
    expect(barLine('blob', 'x', 'copying', 0, 0)).toMatch(/\[>-+\] 0\.0b \/ 0\.0b$/);
  });

  it('plain lines: one per blob however many byte events, as podman prints without a terminal', () => {
    const { out, text } = sink();
    const p = plainTransferProgress(out);
    p.onProgress({ kind: 'resolving', reference: 'reg.example/a:1' });
    p.onProgress({ kind: 'signatures' });
    for (const received of [10, 20, 30]) p.onProgress({ kind: 'blob', digest: A, state: 'copying', received, total: 30 });
    p.onProgress({ kind: 'blob', digest: A, state: 'done', received: 30, total: 30 });
    p.onProgress({ kind: 'config', digest: C });
    p.onProgress({ kind: 'writing-manifest' });
    p.finish();
    expect(text()).toBe(
      `Trying to pull reg.example/a:1...\nGetting image source signatures\nCopying blob ${A}\nCopying config ${C}\nWriting manifest to image destination\nStoring signatures\n`,
    );
  });

  it('terminal: bars per blob that end as done lines, lines before and after them', async () => {
    const { out, text } = sink();
    (out as unknown as { isTTY: boolean; columns: number }).isTTY = true;
    (out as unknown as { columns: number }).columns = 120;
    const p = await ttyTransferProgress(out as unknown as NodeJS.WriteStream);
    p.onProgress({ kind: 'signatures' });
    p.onProgress({ kind: 'blob', digest: A, state: 'copying', sent: 100, total: 200 });
    p.onProgress({ kind: 'blob', digest: A, state: 'done' });
    p.onProgress({ kind: 'config', digest: C });
    p.onProgress({ kind: 'writing-manifest' });
    p.finish();
    const t = text();
    expect(t.startsWith('Getting image source signatures\n')).toBe(true);
    expect(t).toContain('Copying blob aaaaaaaaaaaa done');
    expect(t).toContain('Copying config cccccccccc done');
    expect(t.endsWith('Writing manifest to image destination\nStoring signatures\n')).toBe(true);
    expect(t.indexOf('Copying blob aaaaaaaaaaaa done')).toBeLessThan(t.indexOf('Writing manifest'));
  });
});
