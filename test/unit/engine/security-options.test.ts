import { describe, expect, it } from 'vitest';
import { checkGroupAdd, parseDeviceCgroupRule, parseDeviceFlag } from '../../../src/engine/containers/device-options.js';
import { labelsFor } from '../../../src/engine/containers/security-spec.js';
import { parseSecurityOptions } from '../../../src/engine/containers/security-options.js';
import { capNames, toContainer } from '../../../src/engine/containers/process-table.js';

describe('--security-opt', () => {
  it('parses every form Docker and Podman accept', () => {
    const s = parseSecurityOptions(['no-new-privileges', 'seccomp=unconfined', 'label=disable', 'label:level:s0:c1,c2', 'apparmor=unconfined', 'mask=/a:/b', 'unmask=ALL']);
    expect(s).toMatchObject({ seccomp: 'unconfined', noNewPrivileges: true, labelDisable: true, label: { level: 's0:c1,c2' }, apparmor: 'unconfined', mask: ['/a', '/b'], unmask: ['ALL'] });
    expect(s.display).toEqual(['no-new-privileges', 'seccomp=unconfined', 'label=disable', 'label=level:s0:c1,c2', 'apparmor=unconfined', 'mask=/a:/b', 'unmask=ALL']);
    expect(parseSecurityOptions(['no-new-privileges=false']).noNewPrivileges).toBe(false);
    expect(parseSecurityOptions([]).seccomp).toBe('default');
  });
  it('refuses unknown keys, bad labels, relative mask paths and unreadable profiles', () => {
    expect(() => parseSecurityOptions(['bogus=1'])).toThrow(/unsupported --security-opt "bogus=1"/);
    expect(() => parseSecurityOptions(['label=colour:red'])).toThrow(/invalid --security-opt "label=colour:red"/);
    expect(() => parseSecurityOptions(['mask=proc/x'])).toThrow(/not an absolute path/);
    expect(() => parseSecurityOptions(['seccomp=/nonexistent/profile.json'])).toThrow(/cannot read seccomp profile/);
    expect(() => parseSecurityOptions(['no-new-privileges=maybe'])).toThrow(/invalid --security-opt/);
  });
  it('sets SELinux and AppArmor labels only where the host enables them', () => {
    const s = parseSecurityOptions(['label=type:spc_t', 'apparmor=my-profile']);
    expect(labelsFor(s, 'abc', { selinux: false, apparmor: false })).toEqual({});
    const on = labelsFor(s, 'abc', { selinux: true, apparmor: true });
    expect(on.processLabel).toMatch(/^system_u:system_r:spc_t:s0:c\d+,c\d+$/);
    expect(on.mountLabel).toMatch(/^system_u:object_r:container_file_t:s0:c\d+,c\d+$/);
    expect(on.apparmorProfile).toBe('my-profile');
    expect(labelsFor(parseSecurityOptions(['label=disable']), 'abc', { selinux: true, apparmor: false })).toEqual({});
  });
});

describe('--device, --device-cgroup-rule, --group-add', () => {
  it('parses device mappings with defaults', () => {
    expect(parseDeviceFlag('/dev/null')).toEqual({ pathOnHost: '/dev/null', pathInContainer: '/dev/null', permissions: 'rwm' });
    expect(parseDeviceFlag('/dev/null:r')).toEqual({ pathOnHost: '/dev/null', pathInContainer: '/dev/null', permissions: 'r' });
    expect(parseDeviceFlag('/dev/null:/dev/n2:rw')).toEqual({ pathOnHost: '/dev/null', pathInContainer: '/dev/n2', permissions: 'rw' });
    expect(() => parseDeviceFlag('/dev/nonexistent-dev')).toThrow(/no such file on the host/);
    expect(() => parseDeviceFlag('/etc/passwd')).toThrow(/not a device node/);
    expect(() => parseDeviceFlag('/dev/null:/dev/n:rwx')).toThrow(/bad permissions/);
  });
  it('parses cgroup rules with wildcards', () => {
    expect(parseDeviceCgroupRule('c 10:229 rwm')).toEqual({ allow: true, type: 'c', major: 10, minor: 229, access: 'rwm' });
    expect(parseDeviceCgroupRule('b 7:* rw')).toEqual({ allow: true, type: 'b', major: 7, access: 'rw' });
    expect(() => parseDeviceCgroupRule('c 10 rwm')).toThrow(/invalid --device-cgroup-rule/);
  });
  it('checks --group-add values', () => {
    expect(checkGroupAdd(['10', 'audio,video'])).toEqual(['10', 'audio', 'video']);
    expect(checkGroupAdd(['keep-groups'])).toEqual(['keep-groups']);
    expect(() => checkGroupAdd(['keep-groups', '10'])).toThrow(/cannot be combined/);
    expect(() => checkGroupAdd(['a b'])).toThrow(/invalid --group-add/);
  });
});

describe('top helpers', () => {
  it('names capabilities, "full" and "none"', () => {
    expect(capNames('0000000000000000', 40)).toBe('none');
    expect(capNames('000001ffffffffff', 40)).toBe('full');
    expect(capNames('00000000a80425fb', 40)).toBe('AUDIT_WRITE,CHOWN,DAC_OVERRIDE,FOWNER,FSETID,KILL,MKNOD,NET_BIND_SERVICE,NET_RAW,SETFCAP,SETGID,SETPCAP,SETUID,SYS_CHROOT');
  });
  it('maps host IDs into a user namespace', () => {
    expect(toContainer([], 1000)).toBe(1000);
    expect(toContainer([[0, 100000, 65536]], 100005)).toBe(5);
    expect(toContainer([[0, 100000, 65536]], 5)).toBe(65534);
  });
});

describe('direct signals to a container init', () => {
  it('maps signal names and numbers, refusing unknown ones', async () => {
    const { signalNumber, signalInitDirectly } = await import('../../../src/engine/containers/direct-signal.js');
    expect(signalNumber('SIGTERM')).toBe(15);
    expect(signalNumber('term')).toBe(15);
    expect(signalNumber('9')).toBe(9);
    expect(signalNumber('SIGRTMIN+3')).toBeUndefined();
    expect(signalNumber('0')).toBeUndefined();
  });
  it('signals only a process whose parent is the given conmon', async () => {
    const { signalInitDirectly } = await import('../../../src/engine/containers/direct-signal.js');
    const { spawn } = await import('node:child_process');
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      const exited = new Promise<NodeJS.Signals | null>((r) => child.once('exit', (_c, sig) => r(sig)));
      await new Promise((r) => child.once('spawn', r));
      expect(signalInitDirectly(child.pid!, process.pid + 1, 'SIGTERM')).toBe(false);
      expect(signalInitDirectly(child.pid!, process.pid, 'SIGTERM')).toBe(true);
      expect(await exited).toBe('SIGTERM');
    } finally {
      child.kill('SIGKILL');
    }
  });
});
