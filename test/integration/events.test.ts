import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { busyboxEnv, selkieBin, type SelkieEnv } from '../helpers/selkie-cli.js';

let s: SelkieEnv;
beforeAll(async () => {
  s = await busyboxEnv();
});
afterAll(async () => s.cleanup());

const events = async (...args: string[]) =>
  (await s.run(['events', '--stream=false', '--format', '{{.Type}} {{.Status}} {{.Name}}', ...args])).stdout.trim().split('\n').filter(Boolean);

describe('events', () => {
  it('logs a container life, pods and images, and filters them', async () => {
    expect((await s.run(['run', '--name', 'ev1', '-l', 'team=seals', 'busybox', 'true'])).code).toBe(0);
    expect((await s.run(['rm', 'ev1'])).code).toBe(0);
    expect(await events('--filter', 'container=ev1')).toEqual(['container create ev1', 'container start ev1', 'container died ev1', 'container remove ev1']);
    expect(await events('--filter', 'event=died')).toEqual(['container died ev1']);
    expect(await events('--filter', 'label=team=seals', '--filter', 'event=start')).toEqual(['container start ev1']);
    expect((await s.run(['tag', 'busybox', 'localhost/seal:1'])).code).toBe(0);
    expect(await events('--filter', 'type=image')).toContain('image tag localhost/seal:1');
    expect((await s.run(['pod', 'create', '--name', 'evpod', '--network', 'none'])).code).toBe(0);
    expect((await s.run(['pod', 'rm', 'evpod'])).code).toBe(0);
    expect(await events('--filter', 'pod=evpod')).toEqual(['pod create evpod', 'pod remove evpod']);
    const json = JSON.parse((await s.run(['events', '--stream=false', '--format', 'json', '--filter', 'event=died'])).stdout.trim());
    expect(json).toMatchObject({ Type: 'container', Status: 'died', Name: 'ev1', Image: 'busybox', Attributes: { containerExitCode: '0', team: 'seals' } });
    expect(json.Time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
    const text = (await s.run(['events', '--stream=false', '--filter', 'event=died'])).stdout.trim();
    expect(text).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{9} \+0000 UTC container died [0-9a-f]{12} \(image=busybox, name=ev1, team=seals, containerExitCode=0\)$/);
  });

  it('streams new events as they happen, until interrupted', async () => {
    const child = spawn(selkieBin, [...s.flags, 'events', '--since', '1s', '--format', '{{.Status}} {{.Name}}', '--filter', 'container=ev2']);
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    await new Promise((r) => setTimeout(r, 500));
    expect((await s.run(['run', '--rm', '--name', 'ev2', 'busybox', 'true'])).code).toBe(0);
    for (let i = 0; i < 50 && !out.includes('remove ev2'); i++) await new Promise((r) => setTimeout(r, 100));
    child.kill('SIGINT');
    const code = await new Promise((r) => child.on('close', r));
    expect(out.trim().split('\n')).toEqual(['create ev2', 'start ev2', 'died ev2', 'remove ev2']);
    expect(code).toBe(0);
  });

  it('refuses an unknown filter', async () => {
    const r = await s.run(['events', '--stream=false', '--filter', 'colour=blue']);
    expect(r.code).toBe(125);
    expect(r.stderr).toMatch(/invalid events filter "colour"/);
  });
});
