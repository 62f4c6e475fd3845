/**
 * Seccomp (the default profile, unconfined, a profile file), --device, --device-cgroup-rule,
 * --group-add, mask/unmask, the security fields of inspect and the security columns of top.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { busyboxTar, makeSelkieEnv, type SelkieEnv } from '../helpers/selkie-cli.js';

let s: SelkieEnv;
let dir: string;
beforeAll(async () => {
  s = makeSelkieEnv();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'selkie-sec-'));
  expect((await s.run(['import', '-', 'localhost/busybox'], { input: await busyboxTar() })).code).toBe(0);
});
afterAll(async () => {
  await s.cleanup();
  fs.rmSync(dir, { recursive: true, force: true });
});

const run = (flags: string[], script: string) => s.run(['run', '--rm', '--network', 'none', ...flags, 'busybox', 'sh', '-c', script]);

describe('seccomp', () => {
  it('filters every container by default; swapoff is refused even with CAP_SYS_ADMIN, allowed unconfined', async () => {
    const dflt = await run(['--cap-add', 'SYS_ADMIN'], 'grep ^Seccomp: /proc/self/status; swapoff /nonexistent 2>&1; mkdir /m && mount -t tmpfs t /m && echo mounted');
    expect(dflt.stdout).toMatch(/^Seccomp:\s+2\n/);
    expect(dflt.stdout).toContain('swapoff: /nonexistent: Operation not permitted');
    expect(dflt.stdout).toContain('mounted'); // as Podman's profile: mount follows CAP_SYS_ADMIN
    const open = await run(['--cap-add', 'SYS_ADMIN', '--security-opt', 'seccomp=unconfined'], 'grep ^Seccomp: /proc/self/status; swapoff /nonexistent 2>&1');
    expect(open.stdout).toMatch(/^Seccomp:\s+0\n/);
    expect(open.stdout).toContain('swapoff: /nonexistent: No such file or directory');
    const priv = await run(['--privileged'], 'grep ^Seccomp: /proc/self/status');
    expect(priv.stdout).toMatch(/^Seccomp:\s+0\n/);
  });

  it('without the capability, mount is refused', async () => {
    const r = await run([], 'mkdir /m && mount -t tmpfs t /m 2>&1 || echo refused');
    expect(r.stdout).toContain('refused');
  });

  it('loads a Docker-format profile file and refuses a bad one at create', async () => {
    const file = path.join(dir, 'no-mkdir.json');
    fs.writeFileSync(file, JSON.stringify({ defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['mkdir', 'mkdirat'], action: 'SCMP_ACT_ERRNO', errnoRet: 13 }] }));
    const r = await run(['--security-opt', `seccomp=${file}`], 'mkdir /x 2>&1; touch /y && echo touched');
    expect(r.stdout).toContain("mkdir: can't create directory '/x': Permission denied");
    expect(r.stdout).toContain('touched');
    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(bad, '{"defaultAction":"SCMP_ACT_NOPE"}');
    const b = await s.run(['create', '--security-opt', `seccomp=${bad}`, 'busybox', 'true']);
    expect(b.code).toBe(125);
    expect(b.stderr).toContain('unknown action "SCMP_ACT_NOPE"');
    expect((await s.run(['ps', '-a', '-q'])).stdout).toBe('');
  });

  it('applies no-new-privileges, mask= and accepts label/apparmor options', async () => {
    const r = await run(['--security-opt', 'no-new-privileges', '--security-opt', 'mask=/etc/hostname', '--security-opt', 'label=disable', '--security-opt', 'apparmor=unconfined'], 'grep NoNewPrivs /proc/self/status; wc -c < /etc/hostname');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/NoNewPrivs:\s+1\n0\n/);
  });
});

describe('devices and groups', () => {
  it('creates --device nodes with their cgroup permissions', async () => {
    const rw = await run(['--device', '/dev/fuse'], 'ls -l /dev/fuse; exec 3<>/dev/fuse && echo rw-ok');
    expect(rw.stdout).toMatch(/^c.* 10,\s+229 .*\/dev\/fuse\nrw-ok\n$/);
    const ro = await run(['--device', '/dev/fuse:/dev/myfuse:r'], 'exec 3</dev/myfuse && echo r-ok; exec 4<>/dev/myfuse && echo rw-ok; true');
    expect(ro.stdout).toBe('r-ok\n');
    const none = await run([], 'ls /dev/fuse 2>&1 || true');
    expect(none.stdout).toContain('No such file');
  });

  it('allows device numbers with --device-cgroup-rule', async () => {
    const script = 'mknod /tmp/f c 10 229 && exec 3<>/tmp/f && echo opened; true';
    expect((await run(['--cap-add', 'MKNOD'], script)).stdout).toBe('');
    expect((await run(['--cap-add', 'MKNOD', '--device-cgroup-rule', 'c 10:229 rwm'], script)).stdout).toBe('opened\n');
  });

  it('adds --group-add groups by GID and by the image\'s group names', async () => {
    const r = await run(['--group-add', '10', '--group-add', 'nogroup'], 'grep ^Groups: /proc/self/status');
    expect(r.stdout).toMatch(/^Groups:\s+10 65534\s*$/);
    const missing = await run(['--group-add', 'nosuchgroup'], 'true');
    expect(missing.code).toBe(125);
    expect(missing.stderr).toContain('unable to find group nosuchgroup');
  });

  it('refuses bad --device and --device-cgroup-rule values with exit 125', async () => {
    const a = await run(['--device', '/dev/does-not-exist'], 'true');
    expect(a.code).toBe(125);
    expect(a.stderr).toContain('cannot add device /dev/does-not-exist');
    const b = await run(['--device-cgroup-rule', 'c 10'], 'true');
    expect(b.code).toBe(125);
    expect(b.stderr).toContain('invalid --device-cgroup-rule');
  });
});

describe('inspect and top', () => {
  it('shows the security fields in inspect', async () => {
    const c = await s.run(['create', '--name', 'sec-insp', '--cap-add', 'net_admin', '--cap-drop', 'CHOWN', '--device', '/dev/fuse', '--group-add', '10', '--device-cgroup-rule', 'c 1:3 r', '--security-opt', 'seccomp=unconfined', '--security-opt', 'label=disable', 'busybox', 'true']);
    expect(c.code).toBe(0);
    const [i] = JSON.parse((await s.run(['inspect', 'sec-insp'])).stdout) as Record<string, any>[];
    expect(i!.EffectiveCaps).toContain('CAP_NET_ADMIN');
    expect(i!.EffectiveCaps).not.toContain('CAP_CHOWN');
    expect(i!.BoundingCaps).toEqual(i!.EffectiveCaps);
    expect(i!.SeccompProfilePath).toBe('unconfined');
    expect([i!.ProcessLabel, i!.MountLabel, i!.AppArmorProfile]).toEqual(['', '', '']);
    expect(i!.HostConfig.SecurityOpt).toEqual(['seccomp=unconfined', 'label=disable']);
    expect(i!.HostConfig.Devices).toEqual([{ PathOnHost: '/dev/fuse', PathInContainer: '/dev/fuse', CgroupPermissions: 'rwm' }]);
    expect(i!.HostConfig.GroupAdd).toEqual(['10']);
    expect(i!.HostConfig.DeviceCgroupRules).toEqual(['c 1:3 r']);
    const nonRoot = await s.run(['create', '--name', 'sec-user', '-u', '1000', 'busybox', 'true']);
    expect(nonRoot.code).toBe(0);
    const [u] = JSON.parse((await s.run(['inspect', 'sec-user'])).stdout) as Record<string, any>[];
    expect(u!.EffectiveCaps).toEqual([]);
    expect(u!.BoundingCaps).toContain('CAP_CHOWN');
    expect(u!.SeccompProfilePath).toBe('');
    await s.run(['rm', 'sec-insp', 'sec-user']);
  });

  it('prints capability, seccomp, label, group and AIX descriptors in top', async () => {
    expect((await s.run(['run', '-d', '--network', 'none', '--name', 'sec-top', '--group-add', '10', 'busybox', 'sleep', '1000'])).code).toBe(0);
    expect((await s.run(['run', '-d', '--network', 'none', '--name', 'sec-priv', '--privileged', '--cap-drop', 'ALL', '--cap-add', 'CHOWN', 'busybox', 'sleep', '1000'])).code).toBe(0);
    try {
      const t = await s.run(['top', 'sec-top', 'capeff', 'capbnd', 'capprm', 'capinh', 'capamb', 'seccomp', 'label', 'user', 'group', 'groups', 'nice', 'state', 'stime', 'vsz', 'rss']);
      expect(t.code).toBe(0);
      const [head, row] = t.stdout.trimEnd().split('\n').map((l) => l.trim().split(/\s{2,}/));
      expect(head).toEqual(['EFFECTIVE CAPS', 'BOUNDING CAPS', 'PERMITTED CAPS', 'INHERITED CAPS', 'AMBIENT CAPS', 'SECCOMP', 'LABEL', 'USER', 'GROUP', 'GROUPS', 'NI', 'STATE', 'STIME', 'VSZ', 'RSS']);
      const caps = 'CHOWN,DAC_OVERRIDE,FOWNER,FSETID,KILL,NET_BIND_SERVICE,SETFCAP,SETGID,SETPCAP,SETUID,SYS_CHROOT';
      expect(row!.slice(0, 12)).toEqual([caps, caps, caps, 'none', 'none', 'filter', '-', 'root', 'root', '10', '0', 'S']);
      expect(row![12]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+0000 UTC$/);
      expect(Number(row![13])).toBeGreaterThan(0);
      const aix = await s.run(['top', 'sec-top', '%p %U %c']);
      expect(aix.stdout.trimEnd().split('\n').map((l) => l.trim().split(/\s{2,}/))).toEqual([['PID', 'USER', 'COMMAND'], ['1', 'root', 'sleep']]);
      const p = await s.run(['top', 'sec-priv', 'capeff', 'seccomp']);
      expect(p.stdout.trimEnd().split('\n')[1]!.trim().split(/\s+/)).toEqual(['CHOWN', 'disabled']);
      const bad = await s.run(['top', 'sec-top', 'capz']);
      expect(bad.code).toBe(125);
      expect(bad.stderr).toContain('unknown top descriptor "capz"');
      expect(bad.stderr).toContain('%C');
    } finally {
      await s.run(['rm', '-f', '-t', '0', 'sec-top', 'sec-priv']);
    }
  });
});
