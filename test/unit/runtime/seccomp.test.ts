import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateSpec } from '../../../src/engine/runtime/oci-spec.js';
import { defaultSeccompProfile } from '../../../src/engine/runtime/seccomp-default.js';
import { loadSeccompProfile, parseSeccompProfile, resolveSeccomp } from '../../../src/engine/runtime/seccomp-profile.js';
import type { HostFacts } from '../../../src/engine/runtime/host-facts.js';
import { DEFAULT_CAPABILITIES } from '../../../src/engine/runtime/capabilities.js';

const host: HostFacts = { limits: {}, canRaiseLimits: false, boundingCapabilities: [], cgroupLayout: 'hybrid' } as unknown as HostFacts;
const actionFor = (s: ReturnType<typeof resolveSeccomp>, name: string) => s.syscalls.filter((r) => r.names.includes(name) && !r.args);

describe('default seccomp profile', () => {
  const dflt = resolveSeccomp(defaultSeccompProfile(), { capabilities: DEFAULT_CAPABILITIES, arch: 'amd64', kernel: '6.1.0' });

  it('refuses unknown system calls with ENOSYS and lists the x86 ABIs', () => {
    expect(dflt.defaultAction).toBe('SCMP_ACT_ERRNO');
    expect(dflt.defaultErrnoRet).toBe(38);
    expect(dflt.architectures).toEqual(['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32']);
  });

  it('allows ordinary calls, refuses dangerous ones with EPERM', () => {
    expect(actionFor(dflt, 'read')).toEqual([expect.objectContaining({ action: 'SCMP_ACT_ALLOW' })]);
    expect(actionFor(dflt, 'swapon')).toEqual([expect.objectContaining({ action: 'SCMP_ACT_ERRNO', errnoRet: 1 })]);
    expect(actionFor(dflt, 'kexec_load')[0]?.action).toBe('SCMP_ACT_ERRNO');
  });

  it('makes capability-bound calls depend on the bounding set', () => {
    expect(actionFor(dflt, 'bpf')).toEqual([expect.objectContaining({ action: 'SCMP_ACT_ERRNO', errnoRet: 1 })]);
    expect(actionFor(dflt, 'chroot')[0]?.action).toBe('SCMP_ACT_ALLOW'); // CAP_SYS_CHROOT is a default
    const admin = resolveSeccomp(defaultSeccompProfile(), { capabilities: [...DEFAULT_CAPABILITIES, 'CAP_SYS_ADMIN'], arch: 'amd64' });
    expect(actionFor(admin, 'bpf')).toEqual([expect.objectContaining({ action: 'SCMP_ACT_ALLOW' })]);
    // NETLINK_AUDIT sockets need CAP_AUDIT_WRITE
    expect(dflt.syscalls.find((r) => r.names.includes('socket') && r.action === 'SCMP_ACT_ERRNO')?.errnoRet).toBe(22);
  });

  it('keeps architecture-specific calls for the matching architecture only', () => {
    expect(actionFor(dflt, 'arch_prctl')[0]?.action).toBe('SCMP_ACT_ALLOW');
    expect(actionFor(dflt, 'set_tls')).toEqual([]);
    const arm = resolveSeccomp(defaultSeccompProfile(), { capabilities: [], arch: 'arm64' });
    expect(arm.architectures).toEqual(['SCMP_ARCH_AARCH64', 'SCMP_ARCH_ARM']);
    expect(actionFor(arm, 'set_tls')[0]?.action).toBe('SCMP_ACT_ALLOW');
    expect(actionFor(arm, 'arch_prctl')).toEqual([]);
  });
});

describe('seccomp in the runtime spec', () => {
  const base = { args: ['true'], env: [], rootfs: '/r' };
  it('applies the default, none when unconfined or privileged, a given profile even when privileged', () => {
    expect(generateSpec(base, host).linux.seccomp?.defaultErrnoRet).toBe(38);
    expect(generateSpec({ ...base, seccomp: null }, host).linux.seccomp).toBeUndefined();
    expect(generateSpec({ ...base, privileged: true }, host).linux.seccomp).toBeUndefined();
    const own = parseSeccompProfile({ defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['mkdir'], action: 'SCMP_ACT_ERRNO' }] }, 'own');
    expect(generateSpec({ ...base, privileged: true, seccomp: own }, host).linux.seccomp).toEqual({ defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['mkdir'], action: 'SCMP_ACT_ERRNO' }] });
  });
  it('adds devices, device rules and mask/unmask', () => {
    const s = generateSpec({ ...base, devices: [{ path: '/dev/fuse', type: 'c', major: 10, minor: 229 }], deviceRules: [{ allow: true, type: 'c', major: 10, minor: 229, access: 'rw' }], mask: ['/etc/x'], unmask: ['/proc/kcore'] }, host);
    expect(s.linux.devices).toEqual([{ path: '/dev/fuse', type: 'c', major: 10, minor: 229 }]);
    expect(s.linux.resources.devices).toEqual([{ allow: false, access: 'rwm' }, { allow: true, type: 'c', major: 10, minor: 229, access: 'rw' }]);
    expect(s.linux.maskedPaths).toContain('/etc/x');
    expect(s.linux.maskedPaths).not.toContain('/proc/kcore');
    expect(generateSpec({ ...base, unmask: ['ALL'] }, host).linux.maskedPaths).toEqual([]);
  });
});

describe('Docker-format profile files', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'selkie-seccomp-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string) => {
    fs.writeFileSync(path.join(dir, name), text);
    return path.join(dir, name);
  };
  it('reads names/name, errnoRet, args and includes/excludes', () => {
    const p = loadSeccompProfile(
      write('ok.json', JSON.stringify({
        defaultAction: 'SCMP_ACT_ERRNO',
        defaultErrnoRet: 1,
        architectures: ['SCMP_ARCH_X86_64'],
        syscalls: [
          { name: 'read', action: 'SCMP_ACT_ALLOW' },
          { names: ['personality'], action: 'SCMP_ACT_ALLOW', args: [{ index: 0, value: 8, op: 'SCMP_CMP_EQ' }] },
          { names: ['bpf'], action: 'SCMP_ACT_ALLOW', includes: { caps: ['CAP_SYS_ADMIN'] } },
        ],
      })),
    );
    const r = resolveSeccomp(p, { capabilities: [] });
    expect(r).toEqual({
      defaultAction: 'SCMP_ACT_ERRNO',
      defaultErrnoRet: 1,
      architectures: ['SCMP_ARCH_X86_64'],
      syscalls: [
        { names: ['read'], action: 'SCMP_ACT_ALLOW' },
        { names: ['personality'], action: 'SCMP_ACT_ALLOW', args: [{ index: 0, value: 8, op: 'SCMP_CMP_EQ' }] },
      ],
    });
  });
  it('rejects files that are missing, not JSON, or with unknown actions, naming the problem', () => {
    expect(() => loadSeccompProfile(path.join(dir, 'nope.json'))).toThrow(/cannot read seccomp profile .*nope.json: ENOENT/);
    expect(() => loadSeccompProfile(write('bad.json', '{'))).toThrow(/not valid JSON/);
    expect(() => loadSeccompProfile(write('act.json', '{"defaultAction":"SCMP_ACT_MAYBE"}'))).toThrow(/defaultAction: unknown action "SCMP_ACT_MAYBE"/);
    expect(() => loadSeccompProfile(write('op.json', '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["x"],"action":"SCMP_ACT_ERRNO","args":[{"index":0,"value":1,"op":"EQ"}]}]}'))).toThrow(/syscalls\[0\]\.args\[0\]\.op/);
  });
});
