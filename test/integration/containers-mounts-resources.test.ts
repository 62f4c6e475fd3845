import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { busyboxTar, makeSelkieEnv, type SelkieEnv } from '../helpers/selkie-cli.js';

let s: SelkieEnv;
let hostDir: string;
beforeAll(async () => {
  s = makeSelkieEnv();
  expect((await s.run(['import', '-', 'localhost/busybox'], { input: await busyboxTar() })).code).toBe(0);
  hostDir = path.join(s.root, '..', 'hostdir');
  fs.mkdirSync(hostDir, { recursive: true });
  fs.writeFileSync(path.join(hostDir, 'f'), 'from the host\n');
});
afterAll(async () => s.cleanup());

describe('mounts and resource limits', () => {
  it('binds host paths with -v (nodev by default, :ro read-only) and --mount', async () => {
    const r = await s.run(['run', '--rm', '-v', `${hostDir}:/data:ro`, 'busybox', 'sh', '-c', 'cat /data/f; touch /data/g 2>/dev/null || echo read-only; grep " /data " /proc/mounts']);
    expect(r.stdout).toMatch(/^from the host\nread-only\n\S+ \/data \S+ ro,nodev,/);
    const w = await s.run(['run', '--rm', '--mount', `type=bind,source=${hostDir},target=/m`, 'busybox', 'sh', '-c', 'echo written > /m/new']);
    expect(w.code).toBe(0);
    expect(fs.readFileSync(path.join(hostDir, 'new'), 'utf8')).toBe('written\n');
  });

  it('mounts tmpfs with --tmpfs and --mount type=tmpfs', async () => {
    const r = await s.run(['run', '--rm', '--tmpfs', '/scratch:size=1m', '--mount', 'type=tmpfs,target=/t2', 'busybox', 'sh', '-c', 'grep -E " /(scratch|t2) " /proc/mounts']);
    expect(r.stdout).toMatch(/tmpfs \/scratch tmpfs rw,nosuid,nodev,.*size=1024k/);
    expect(r.stdout).toMatch(/tmpfs \/t2 tmpfs /);
  });

  it('shows mounts in inspect', async () => {
    await s.run(['create', '--name', 'mounted', '-v', `${hostDir}:/data:ro`, '--tmpfs', '/scratch', 'busybox', 'true']);
    const [c] = JSON.parse((await s.run(['inspect', 'mounted'])).stdout) as { Mounts: { Type: string; Source: string; Destination: string; RW: boolean }[]; HostConfig: { Binds: string[] } }[];
    expect(c!.Mounts).toEqual([
      expect.objectContaining({ Type: 'bind', Source: path.resolve(hostDir), Destination: '/data', RW: false }),
      expect.objectContaining({ Type: 'tmpfs', Destination: '/scratch', RW: true }),
    ]);
    expect(c!.HostConfig.Binds).toEqual([`${path.resolve(hostDir)}:/data:ro`]);
    await s.run(['rm', 'mounted']);
  });

  it('refuses a host path that does not exist and bad syntax', async () => {
    const missing = await s.run(['run', '--rm', '-v', '/no/such/dir:/x', 'busybox', 'true']);
    expect(missing.code).toBe(125);
    expect(missing.stderr).toContain('host path /no/such/dir in "/no/such/dir:/x" does not exist');
    expect((await s.run(['run', '--rm', '-v', `${hostDir}:relative`, 'busybox', 'true'])).stderr).toContain('must be absolute');
    expect((await s.run(['run', '--rm', '--memory', 'lots', 'busybox', 'true'])).stderr).toContain('invalid --memory "lots"');
    expect((await s.run(['ps', '-a', '-q'])).stdout).toBe('');
  });

  it('applies --memory, --cpus, --cpu-shares and --pids-limit through the cgroup', async () => {
    const r = await s.run(['run', '--rm', '-m', '64m', '--cpus', '0.5', '--cpu-shares', '512', '--pids-limit', '50', 'busybox', 'sh', '-c', 'cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/cpu/cpu.cfs_quota_us /sys/fs/cgroup/cpu/cpu.shares /sys/fs/cgroup/pids/pids.max 2>/dev/null || cat /sys/fs/cgroup/memory.max /sys/fs/cgroup/cpu.max /sys/fs/cgroup/pids.max']);
    expect(r.code).toBe(0);
    const v1 = ['67108864', '50000', '512', '50'];
    expect(r.stdout.trim().split('\n').slice(0, 4)).toEqual(fs.existsSync('/sys/fs/cgroup/memory') ? v1 : expect.anything());
  });

  it('runs an init as PID 1 with --init', async () => {
    const r = await s.run(['run', '--rm', '--init', 'busybox', 'ps', '-o', 'pid,args']);
    expect(r.stdout).toMatch(/\n\s+1 \/dev\/init -- ps -o pid,args\n/);
  });
});
