import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
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

  it('lists exactly the processes the runtime knows (read from the cgroup, child cgroups included)', async () => {
    const id = (await s.run(['inspect', '--format', '{{.Id}}', 'busy'])).stdout.trim();
    const runtimeRoot = path.join(s.runroot, 'runc');
    const fromRuntime = JSON.parse(spawnSync('runc', ['--root', runtimeRoot, 'ps', '--format', 'json', id], { encoding: 'utf8' }).stdout) as number[];
    const hpids = table((await s.run(['top', 'busy', 'hpid'])).stdout).slice(1).map((r) => Number(r[0]));
    expect(hpids.sort()).toEqual(fromRuntime.sort());
    // A process in a child cgroup of the container's is still the container's.
    const cg = fs.readFileSync(`/proc/${fromRuntime[0]}/cgroup`, 'utf8').match(/^\d+:pids:(.*)$/m)?.[1];
    if (cg) {
      const child = path.join('/sys/fs/cgroup/pids', cg, 'sub');
      fs.mkdirSync(child);
      try {
        const sleeper = Math.max(...fromRuntime.filter((p) => p !== fromRuntime[0]));
        fs.writeFileSync(path.join(child, 'cgroup.procs'), String(sleeper));
        expect(table((await s.run(['top', 'busy', 'hpid'])).stdout).slice(1).map((r) => Number(r[0])).sort()).toEqual(fromRuntime.sort());
      } finally {
        fs.writeFileSync(path.join('/sys/fs/cgroup/pids', cg, 'cgroup.procs'), String(Math.max(...fromRuntime.filter((p) => p !== fromRuntime[0]))));
        fs.rmdirSync(child);
      }
    }
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
