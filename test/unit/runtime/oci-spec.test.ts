import { describe, expect, it } from 'vitest';
import { SelkieError } from '../../../src/engine/errors.js';
import { DEFAULT_CAPABILITIES } from '../../../src/engine/runtime/capabilities.js';
import type { HostFacts } from '../../../src/engine/runtime/host-facts.js';
import { generateSpec, type SpecInput } from '../../../src/engine/runtime/oci-spec.js';

const host: HostFacts = {
  limits: { RLIMIT_NOFILE: { soft: 20000, hard: 20000 }, RLIMIT_NPROC: { soft: 96364, hard: 96364 } },
  canRaiseLimits: false,
  boundingCapabilities: [],
  cgroupLayout: 'hybrid',
};

const base: SpecInput = { args: ['echo', 'hi'], env: ['FOO=bar'], rootfs: '/rootfs', hostname: 'abc123' };
const spec = (extra: Partial<SpecInput> = {}, h: HostFacts = host) => generateSpec({ ...base, ...extra }, h);

describe('generateSpec', () => {
  it('writes Podman-like defaults', () => {
    const s = spec();
    expect(s.ociVersion).toBe('1.0.2-dev');
    expect(s.process.terminal).toBe(false);
    expect(s.process.user).toEqual({ uid: 0, gid: 0, umask: 0o022 });
    expect(s.process.args).toEqual(['echo', 'hi']);
    expect(s.process.cwd).toBe('/');
    expect(s.process.noNewPrivileges).toBe(false);
    expect(s.process.oomScoreAdj).toBeUndefined();
    expect(s.root).toEqual({ path: '/rootfs' });
    expect(s.hostname).toBe('abc123');
    expect(s.annotations).toBeUndefined();
  });

  it('gives Podman\'s default capabilities in bounding, effective and permitted only', () => {
    const c = spec().process.capabilities;
    expect(c.bounding).toEqual([
      'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_FOWNER', 'CAP_FSETID', 'CAP_KILL', 'CAP_NET_BIND_SERVICE',
      'CAP_SETFCAP', 'CAP_SETGID', 'CAP_SETPCAP', 'CAP_SETUID', 'CAP_SYS_CHROOT',
    ]);
    expect(c.effective).toEqual(c.bounding);
    expect(c.permitted).toEqual(c.bounding);
    expect(c.inheritable).toEqual([]);
    expect(c.ambient).toEqual([]);
  });

  it('adds and drops capabilities, in any spelling', () => {
    const c = spec({ capAdd: ['net_admin', 'CAP_SYS_PTRACE'], capDrop: ['chown', 'Kill'] }).process.capabilities;
    expect(c.bounding).toContain('CAP_NET_ADMIN');
    expect(c.bounding).toContain('CAP_SYS_PTRACE');
    expect(c.bounding).not.toContain('CAP_CHOWN');
    expect(c.bounding).not.toContain('CAP_KILL');
    expect(spec({ capDrop: ['all'], capAdd: ['chown'] }).process.capabilities.bounding).toEqual(['CAP_CHOWN']);
    expect(() => spec({ capAdd: ['NOT_A_CAP'] })).toThrow(/unknown capability "NOT_A_CAP"/);
  });

  it('privileged: every capability the host has, no masked paths, writable /sys', () => {
    const h = { ...host, boundingCapabilities: ['CAP_CHOWN', 'CAP_SYS_ADMIN', 'CAP_NET_ADMIN'] };
    const s = spec({ privileged: true }, h);
    expect(s.process.capabilities.bounding).toEqual(['CAP_CHOWN', 'CAP_NET_ADMIN', 'CAP_SYS_ADMIN']);
    expect(s.linux.maskedPaths).toBeUndefined();
    expect(s.linux.readonlyPaths).toBeUndefined();
    expect(s.mounts.find((m) => m.destination === '/sys')!.options).toContain('rw');
    expect(s.linux.resources.devices).toEqual([{ allow: true, access: 'rwm' }]);
  });

  it('refuses a capability the host cannot grant', () => {
    const h = { ...host, boundingCapabilities: [...DEFAULT_CAPABILITIES] };
    expect(() => spec({ capAdd: ['SYS_RESOURCE'] }, h)).toThrow(SelkieError);
  });

  it('non-root processes get capabilities in the bounding set only', () => {
    const c = spec({ uid: 1000, gid: 1000, additionalGids: [10, 20] });
    expect(c.process.user).toEqual({ uid: 1000, gid: 1000, umask: 0o022, additionalGids: [10, 20] });
    expect(c.process.capabilities.effective).toEqual([]);
    expect(c.process.capabilities.bounding.length).toBe(DEFAULT_CAPABILITIES.length);
  });

  it('clamps default rlimits to the caller\'s hard limits', () => {
    expect(spec().process.rlimits).toEqual([
      { type: 'RLIMIT_NOFILE', soft: 20000, hard: 20000 },
      { type: 'RLIMIT_NPROC', soft: 32768, hard: 32768 },
    ]);
    const roomy: HostFacts = { ...host, limits: {} };
    expect(spec({}, roomy).process.rlimits[0]).toEqual({ type: 'RLIMIT_NOFILE', soft: 1048576, hard: 1048576 });
    expect(spec({}, { ...host, canRaiseLimits: true }).process.rlimits[0]!.hard).toBe(1048576);
  });

  it('takes user ulimits and refuses ones above the hard limit', () => {
    const s = spec({ ulimits: [{ type: 'nofile', soft: 100, hard: 200 }, { type: 'core', soft: 0, hard: 0 }] });
    expect(s.process.rlimits).toEqual([
      { type: 'RLIMIT_NPROC', soft: 32768, hard: 32768 },
      { type: 'RLIMIT_NOFILE', soft: 100, hard: 200 },
      { type: 'RLIMIT_CORE', soft: 0, hard: 0 },
    ]);
    expect(() => spec({ ulimits: [{ type: 'nofile', soft: 30000, hard: 30000 }] })).toThrow(/above this host's hard limit 20000/);
    expect(() => spec({ ulimits: [{ type: 'nofile', soft: 3, hard: 2 }] })).toThrow(/soft limit 3 is above the hard limit 2/);
    expect(() => spec({ ulimits: [{ type: 'bogus', soft: 1, hard: 1 }] })).toThrow(/unknown ulimit/);
  });

  it('mounts /proc, /dev, /dev/pts, /dev/shm, /dev/mqueue, /sys and /sys/fs/cgroup', () => {
    const m = spec().mounts;
    expect(m.map((x) => x.destination)).toEqual(['/proc', '/dev', '/dev/pts', '/dev/shm', '/dev/mqueue', '/sys', '/sys/fs/cgroup']);
    const by = (d: string) => m.find((x) => x.destination === d)!;
    expect(by('/proc')).toMatchObject({ type: 'proc', source: 'proc' });
    expect(by('/dev')).toMatchObject({ type: 'tmpfs', options: expect.arrayContaining(['mode=755', 'size=65536k']) });
    expect(by('/dev/pts').options).toEqual(['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5']);
    expect(by('/dev/shm')).toMatchObject({ type: 'tmpfs', options: ['nosuid', 'noexec', 'nodev', 'mode=1777', 'size=65536k'] });
    expect(by('/dev/mqueue').type).toBe('mqueue');
    expect(by('/sys')).toMatchObject({ type: 'sysfs', options: expect.arrayContaining(['ro']) });
    expect(by('/sys/fs/cgroup')).toMatchObject({ type: 'cgroup', options: expect.arrayContaining(['ro']) });
    expect(spec({ shmSize: 128 * 1024 * 1024 }).mounts.find((x) => x.destination === '/dev/shm')!.options).toContain('size=131072k');
  });

  it('adds caller mounts after the defaults, as binds, parents first, replacing defaults', () => {
    const m = spec({
      mounts: [
        { destination: '/data/sub', source: '/host/sub' },
        { destination: '/etc/hosts', source: '/u/hosts', options: ['bind', 'rprivate'] },
        { destination: '/data', source: '/host/data', options: ['ro'] },
        { destination: '/dev/shm', source: '/u/shm', options: ['bind', 'rprivate', 'nosuid'] },
      ],
    }).mounts;
    expect(m.map((x) => x.destination)).toEqual([
      '/proc', '/dev', '/dev/pts', '/dev/mqueue', '/sys', '/sys/fs/cgroup', '/data', '/data/sub', '/etc/hosts', '/dev/shm',
    ]);
    expect(m.find((x) => x.destination === '/data')).toEqual({ destination: '/data', type: 'bind', source: '/host/data', options: ['rbind', 'ro', 'rprivate'] });
    expect(m.find((x) => x.destination === '/etc/hosts')!.options).toEqual(['bind', 'rprivate']);
  });

  it('masks and makes read-only Podman\'s kernel paths', () => {
    const l = spec().linux;
    expect(l.maskedPaths).toContain('/proc/kcore');
    expect(l.maskedPaths).toContain('/sys/firmware');
    expect(l.maskedPaths).toHaveLength(11);
    expect(l.readonlyPaths).toEqual(['/proc/asound', '/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger']);
  });

  it('creates private namespaces; cgroup namespace only on cgroup v2', () => {
    expect(spec().linux.namespaces).toEqual([{ type: 'pid' }, { type: 'network' }, { type: 'ipc' }, { type: 'uts' }, { type: 'mount' }]);
    expect(spec({}, { ...host, cgroupLayout: 'v2' }).linux.namespaces).toContainEqual({ type: 'cgroup' });
    expect(spec({ cgroupNamespace: 'private' }).linux.namespaces).toContainEqual({ type: 'cgroup' });
  });

  it('shares or joins the network namespace', () => {
    const hostNet = spec({ networkNamespace: 'host' }).linux;
    expect(hostNet.namespaces.map((n) => n.type)).not.toContain('network');
    expect(hostNet.sysctl).toBeUndefined();
    expect(spec().linux.sysctl).toEqual({ 'net.ipv4.ping_group_range': '0 0' });
    expect(spec({ networkNamespace: { path: '/run/netns/x' } }).linux.namespaces).toContainEqual({ type: 'network', path: '/run/netns/x' });
  });

  it('leaves the hostname out when sharing the host UTS namespace', () => {
    const s = spec({ utsNamespace: 'host' });
    expect(s.hostname).toBeUndefined();
    expect(s.linux.namespaces.map((n) => n.type)).not.toContain('uts');
  });

  it('completes the environment: PATH, HOSTNAME, TERM with a terminal', () => {
    expect(spec().process.env).toEqual([
      'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      'FOO=bar',
      'HOSTNAME=abc123',
    ]);
    expect(spec({ terminal: true, env: ['PATH=/bin'] }).process.env).toEqual(['PATH=/bin', 'TERM=xterm', 'HOSTNAME=abc123']);
  });

  it('passes the rest through', () => {
    const s = spec({
      cwd: '/work',
      readonly: true,
      terminal: true,
      noNewPrivileges: true,
      oomScoreAdj: 100,
      annotations: { a: 'b' },
      cgroupsPath: '/selkie/abc',
      pidsLimit: 2048,
      sysctls: { 'net.ipv4.ip_forward': '1' },
    });
    expect(s.process).toMatchObject({ cwd: '/work', terminal: true, noNewPrivileges: true, oomScoreAdj: 100 });
    expect(s.root).toEqual({ path: '/rootfs', readonly: true });
    expect(s.mounts.map((m) => m.destination)).toEqual(expect.arrayContaining(['/tmp', '/var/tmp', '/run']));
    expect(s.annotations).toEqual({ a: 'b' });
    expect(s.linux.cgroupsPath).toBe('/selkie/abc');
    expect(s.linux.resources).toEqual({ devices: [{ allow: false, access: 'rwm' }], pids: { limit: 2048 } });
    expect(s.linux.sysctl).toEqual({ 'net.ipv4.ping_group_range': '0 0', 'net.ipv4.ip_forward': '1' });
  });

  it('refuses an empty command', () => {
    expect(() => spec({ args: [] })).toThrow(/no command/);
  });

  it('is JSON-clean: no undefined values', () => {
    const s = spec();
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
  });
});
