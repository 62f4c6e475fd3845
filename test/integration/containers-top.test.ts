import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { busyboxTar, makeSelkieEnv, type SelkieEnv } from '../helpers/selkie-cli.js';

let s: SelkieEnv;
beforeAll(async () => {
  s = makeSelkieEnv();
  const r = await s.run(['import', '--change', 'CMD ["sh"]', '-', 'localhost/busybox'], { input: await busyboxTar() });
  expect(r.code).toBe(0);
});
afterAll(async () => s.cleanup());

const table = (out: string) => out.trimEnd().split('\n').map((l) => l.trim().split(/\s{2,}/));

describe('top', () => {
  it("lists the container's processes with the default columns", async () => {
    expect((await s.run(['run', '-d', '--name', 'busy', 'busybox', 'sh', '-c', 'sleep 1000 & exec sleep 999'])).code).toBe(0);
    let rows: string[][] = [];
    for (let i = 0; i < 50 && rows.length < 3; i++) {
      rows = table((await s.run(['top', 'busy'])).stdout);
      if (rows.length < 3) await new Promise((r) => setTimeout(r, 100));
    }
    expect(rows[0]).toEqual(['USER', 'PID', 'PPID', '%CPU', 'ELAPSED', 'TTY', 'TIME', 'COMMAND']);
    const byCmd = new Map(rows.slice(1).map((r) => [r[7], r]));
    expect(byCmd.get('sleep 999')?.slice(0, 3)).toEqual(['root', '1', '0']);
    expect(byCmd.get('sleep 1000')?.[2]).toBe('1');
    expect(byCmd.get('sleep 999')?.[3]).toMatch(/^\d+\.\d{3}$/);
    expect(byCmd.get('sleep 999')?.[4]).toMatch(/^(\d+h)?(\d+m)?[\d.]+(ms|s)$/);
    expect(byCmd.get('sleep 999')?.[5]).toBe('?');
  });

  it('shows the container and host views with the descriptors asked for', async () => {
    const rows = table((await s.run(['top', 'busy', 'pid', 'hpid', 'user', 'huser', 'uid', 'huid', 'comm'])).stdout);
    expect(rows[0]).toEqual(['PID', 'HPID', 'USER', 'HUSER', 'UID', 'HUID', 'COMMAND']);
    const init = rows.find((r) => r[0] === '1')!;
    const hostPid = (await s.run(['inspect', '--format', '{{.State.Pid}}', 'busy'])).stdout.trim();
    expect(init).toEqual(['1', hostPid, 'root', 'root', '0', '0', 'sleep']);
  });

  it('names the valid descriptors for an unknown one, and refuses a stopped container', async () => {
    const bad = await s.run(['top', 'busy', 'pid', 'bogus']);
    expect(bad.code).toBe(125);
    expect(bad.stderr).toContain('unknown top descriptor "bogus"');
    expect(bad.stderr).toContain('huser');
    await s.run(['rm', '-f', 'busy']);
    expect((await s.run(['top', 'busy'])).code).toBe(125);
  });
});
