/** history, untag and image prune against a private store. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { busyboxTar, makeSelkieEnv, type SelkieEnv } from '../helpers/selkie-cli.js';

let s: SelkieEnv;
let tar: Buffer;
let id = '';
beforeAll(async () => {
  s = makeSelkieEnv({ storageDriver: 'vfs' });
  tar = await busyboxTar();
  const r = await s.run(['import', '-m', 'the busybox rootfs', '-', 'localhost/busybox'], { input: tar });
  expect(r.code).toBe(0);
  id = r.stdout.trim().slice(7);
});
afterAll(async () => s.cleanup());

describe('history', () => {
  it("prints Docker's columns", async () => {
    const r = await s.run(['history', 'busybox']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^IMAGE +CREATED +CREATED BY +SIZE +COMMENT$/);
    expect(lines[1]).toMatch(new RegExp(`^${id.slice(0, 12)} +(Less than a second|\\d+ seconds?) ago +selkie import +2\\.\\d+MB +the busybox rootfs$`));
    expect(lines).toHaveLength(2);
  });

  it('supports -q, --no-trunc, --human=false, --format and json', async () => {
    expect((await s.run(['history', '-q', 'busybox'])).stdout).toBe(`${id.slice(0, 12)}\n`);
    expect((await s.run(['history', '-q', '--no-trunc', 'busybox'])).stdout).toBe(`sha256:${id}\n`);
    const plain = await s.run(['history', '--human=false', '--format', '{{.CreatedSince}} {{.Size}}', 'busybox']);
    expect(plain.stdout).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ 2\d{6}\n$/);
    expect((await s.run(['image', 'history', '--format', '{{.ID}}|{{.CreatedBy}}|{{.Comment}}', 'busybox'])).stdout).toBe(`${id.slice(0, 12)}|selkie import|the busybox rootfs\n`);
    const json = JSON.parse((await s.run(['history', '--format', 'json', 'busybox'])).stdout) as Array<{ Id: string; Tags: string[]; Size: number }>;
    expect(json).toEqual([expect.objectContaining({ Id: `sha256:${id}`, Tags: ['localhost/busybox:latest'], Size: tar.length })]);
  });

  it('names an unknown image', async () => {
    const r = await s.run(['history', 'nosuch']);
    expect(r.code).toBe(125);
    expect(r.stderr).toMatch(/nosuch.*not found/);
  });
});

describe('untag', () => {
  it('removes the given names, or all, and keeps the image', async () => {
    for (const t of ['localhost/a:1', 'localhost/a:2', 'localhost/b']) expect((await s.run(['tag', 'busybox', t])).code).toBe(0);
    expect((await s.run(['untag', 'busybox', 'localhost/a:1', 'b'])).code).toBe(0);
    expect((await s.run(['images', '--format', '{{.Repository}}:{{.Tag}}'])).stdout.split('\n').filter(Boolean).sort()).toEqual(['localhost/a:2', 'localhost/busybox:latest']);
    const bad = await s.run(['untag', 'busybox', 'localhost/zzz']);
    expect(bad.code).toBe(125);
    expect(bad.stderr).toMatch(/has no name "localhost\/zzz:latest"/);
    expect((await s.run(['untag', id.slice(0, 12)])).code).toBe(0);
    expect((await s.run(['images', '--format', '{{.Repository}}:{{.Tag}} {{.ID}}'])).stdout).toBe(`<none>:<none> ${id.slice(0, 12)}\n`);
  });
});

describe('image prune', () => {
  it('removes dangling images and their layers, printing IDs and the reclaimed space', async () => {
    const r = await s.run(['image', 'prune']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toBe(`Deleted Images:\ndeleted: sha256:${id}\n\nTotal reclaimed space: ${(tar.length / 1e6).toPrecision(3)}MB\n`);
    expect((await s.run(['images', '-q'])).stdout).toBe('');
    expect((await s.run(['image', 'prune', '-f'])).stdout).toBe('Total reclaimed space: 0B\n');
  });

  it('with -a removes named images too, but not those a container uses', async () => {
    expect((await s.run(['import', '-', 'localhost/used'], { input: tar })).code).toBe(0);
    expect((await s.run(['import', '-m', 'other', '-', 'localhost/unused'], { input: tar })).code).toBe(0);
    expect((await s.run(['create', '--name', 'c1', 'localhost/used', 'true'])).code).toBe(0);
    expect((await s.run(['image', 'prune'])).stdout).toBe('Total reclaimed space: 0B\n');
    const r = await s.run(['image', 'prune', '-a', '--filter', 'until=1h']);
    expect(r.stdout).toBe('Total reclaimed space: 0B\n'); // both are younger than an hour
    const all = await s.run(['image', 'prune', '-a']);
    expect(all.stdout).toMatch(/^Deleted Images:\nuntagged: localhost\/unused:latest\ndeleted: sha256:[0-9a-f]{64}\n\nTotal reclaimed space: 0B\n$/); // the layer is shared
    expect((await s.run(['images', '--format', '{{.Repository}}'])).stdout).toBe('localhost/used\n');
    expect((await s.run(['rm', 'c1'])).code).toBe(0);
    const last = await s.run(['image', 'prune', '-a', '-f']);
    expect(last.stdout).toMatch(/untagged: localhost\/used:latest\ndeleted: sha256:[0-9a-f]{64}\n\nTotal reclaimed space: 2\.\d+MB\n$/);
  });

  it('refuses unknown filters', async () => {
    const r = await s.run(['image', 'prune', '--filter', 'bogus=1']);
    expect(r.code).toBe(125);
    expect(r.stderr).toMatch(/invalid filter "bogus"/);
  });
});
