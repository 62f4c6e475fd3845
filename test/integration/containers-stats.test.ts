import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { busyboxTar, makeSelkieEnv, type SelkieEnv } from '../helpers/selkie-cli.js';

let s: SelkieEnv;
beforeAll(async () => {
  s = makeSelkieEnv();
  expect((await s.run(['import', '-', 'localhost/busybox'], { input: await busyboxTar() })).code).toBe(0);
});
afterAll(async () => s.cleanup());

describe('stats --no-stream', () => {
  it('reports CPU, memory against the limit, and PIDs of running containers', async () => {
    await s.run(['run', '-d', '--name', 'busy', '-m', '64m', 'busybox', 'sh', '-c', 'sleep 100 & while true; do :; done']);
    await s.run(['run', '-d', '--name', 'idle', 'busybox', 'sleep', '100']);
    const table = await s.run(['stats', '--no-stream']);
    expect(table.code).toBe(0);
    expect(table.stdout.split('\n')[0]).toMatch(/^CONTAINER ID +NAME +CPU % +MEM USAGE \/ LIMIT +MEM % +NET I\/O +BLOCK I\/O +PIDS$/);
    const json = JSON.parse((await s.run(['stats', '--no-stream', '--format', 'json'])).stdout) as { Name: string; CPUPerc: number; MemUsage: number; MemLimit: number; PIDs: number }[];
    const busy = json.find((j) => j.Name === 'busy')!;
    const idle = json.find((j) => j.Name === 'idle')!;
    expect(busy.CPUPerc).toBeGreaterThan(20);
    expect(idle.CPUPerc).toBeLessThan(20);
    expect(busy.MemLimit).toBe(64 * 1024 * 1024);
    expect(busy.MemUsage).toBeGreaterThan(0);
    expect(busy.PIDs).toBe(2); // sh (looping) and sleep
    expect((await s.run(['stats', '--no-stream', '--format', '{{.Name}} {{.MemUsage}}', 'busy'])).stdout).toMatch(/^busy [\d.]+[KM]iB \/ 64MiB\n$/);
    await s.run(['rm', '-f', 'busy', 'idle']);
  });

  it('refuses a stopped or unknown container', async () => {
    await s.run(['create', '--name', 'still', 'busybox', 'true']);
    const r = await s.run(['stats', '--no-stream', 'still']);
    expect(r.code).toBe(125);
    expect(r.stderr).toContain('container still is not running');
    expect((await s.run(['stats', '--no-stream', 'nope'])).code).toBe(125);
    await s.run(['rm', 'still']);
  });
});
