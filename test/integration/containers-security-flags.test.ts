import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { busyboxTar, makeSelkieEnv, type SelkieEnv } from '../helpers/selkie-cli.js';

let s: SelkieEnv;
beforeAll(async () => {
  s = makeSelkieEnv();
  expect((await s.run(['import', '-', 'localhost/busybox'], { input: await busyboxTar() })).code).toBe(0);
});
afterAll(async () => s.cleanup());

const capEff = async (flags: string[]) => {
  const r = await s.run(['run', '--rm', ...flags, 'busybox', 'grep', 'CapEff', '/proc/self/status']);
  expect(r.code).toBe(0);
  return BigInt(`0x${r.stdout.trim().split(/\s+/)[1]}`);
};
const bit = (n: number) => 1n << BigInt(n);
const CAP_CHOWN = 0;
const CAP_NET_ADMIN = 12;
const CAP_SYS_ADMIN = 21;

describe('security and resource flags of run/create', () => {
  it('applies --cap-add, --cap-drop (ALL and names, any case) and --privileged', async () => {
    const dflt = await capEff([]);
    expect(dflt & bit(CAP_CHOWN)).toBe(bit(CAP_CHOWN));
    expect(dflt & bit(CAP_SYS_ADMIN)).toBe(0n);
    expect(await capEff(['--cap-drop', 'ALL'])).toBe(0n);
    expect(await capEff(['--cap-drop', 'all', '--cap-add', 'net_admin'])).toBe(bit(CAP_NET_ADMIN));
    expect(await capEff(['--cap-drop', 'CHOWN']) & bit(CAP_CHOWN)).toBe(0n);
    expect(await capEff(['--privileged']) & bit(CAP_SYS_ADMIN)).toBe(bit(CAP_SYS_ADMIN));
  });

  it('mounts the root read-only with writable tmpfs scratch dirs', async () => {
    const r = await s.run(['run', '--rm', '--read-only', 'busybox', 'sh', '-c', 'touch /x 2>/dev/null; echo $?; touch /tmp/y && echo tmp-ok']);
    expect(r.stdout).toBe('1\ntmp-ok\n');
  });

  it('sets --ulimit, --sysctl, --shm-size and no-new-privileges, and shows them in inspect', async () => {
    const r = await s.run(['run', '--name', 'limited', '--ulimit', 'nofile=100:200', '--sysctl', 'net.ipv4.ip_forward=1', '--shm-size', '2m', '--security-opt', 'no-new-privileges', 'busybox', 'sh', '-c', 'ulimit -n; ulimit -Hn; cat /proc/sys/net/ipv4/ip_forward; df -k /dev/shm | tail -1; grep NoNewPrivs /proc/self/status']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines.slice(0, 3)).toEqual(['100', '200', '1']);
    expect(lines[3]).toMatch(/^shm\s+2048\s/);
    expect(lines[4]).toMatch(/^NoNewPrivs:\s+1$/);
    const [insp] = JSON.parse((await s.run(['inspect', 'limited'])).stdout) as { HostConfig: { Ulimits: unknown[]; Sysctls: Record<string, string>; ShmSize: number; SecurityOpt: string[] } }[];
    expect(insp!.HostConfig.Ulimits).toEqual([{ Name: 'nofile', Soft: 100, Hard: 200 }]);
    expect(insp!.HostConfig.Sysctls).toEqual({ 'net.ipv4.ip_forward': '1' });
    expect(insp!.HostConfig.ShmSize).toBe(2 * 1024 * 1024);
    expect(insp!.HostConfig.SecurityOpt).toEqual(['no-new-privileges']);
    await s.run(['rm', 'limited']);
  });

  it('refuses what it cannot do with a clear message and creates nothing', async () => {
    const above = await s.run(['run', '--rm', '--ulimit', 'nofile=999999999:999999999', 'busybox', 'true']);
    expect(above.code).toBe(125);
    expect(above.stderr).toMatch(/above this host's hard limit/);
    const bad = await s.run(['run', '--rm', '--ulimit', 'nofile=lots', 'busybox', 'true']);
    expect(bad.code).toBe(125);
    expect(bad.stderr).toContain('invalid --ulimit "nofile=lots"');
    const opt = await s.run(['run', '--rm', '--security-opt', 'bogus=unconfined', 'busybox', 'true']);
    expect(opt.code).toBe(125);
    expect(opt.stderr).toContain('unsupported --security-opt "bogus=unconfined"');
    const size = await s.run(['run', '--rm', '--shm-size', 'big', 'busybox', 'true']);
    expect(size.code).toBe(125);
    expect((await s.run(['ps', '-a', '-q'])).stdout).toBe('');
  });
});
