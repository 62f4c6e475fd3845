import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { capabilitiesFromMask } from '../../../src/engine/runtime/capabilities.js';
import { conmonArgs } from '../../../src/engine/runtime/conmon-args.js';
import { readExitFile, waitForExit } from '../../../src/engine/runtime/exit-file.js';
import { OciRuntime, parseVersionLine, signalNumber } from '../../../src/engine/runtime/oci-runtime.js';
import { parseProcLimits } from '../../../src/engine/runtime/rlimits.js';
import { cleanRuntimeMessage, createError } from '../../../src/engine/runtime/runtime-error.js';
import { runtimeProblem } from '../../../src/engine/runtime/runtime-select.js';

describe('runtime errors', () => {
  const runcNotFound =
    'time="2026-11-29T07:59:08Z" level=error msg="runc create failed: unable to start container process: exec: \\"nocmd\\": executable file not found in $PATH"\n';
  it('cleans runc log lines', () => {
    expect(cleanRuntimeMessage(runcNotFound)).toBe('unable to start container process: exec: "nocmd": executable file not found in $PATH');
    expect(cleanRuntimeMessage('time="x" level=warning msg="a warning"\ntime="x" level=error msg="the error"')).toBe('the error');
  });
  it('cleans crun messages', () => {
    expect(cleanRuntimeMessage('crun: cgroups in hybrid mode not supported\n')).toBe('cgroups in hybrid mode not supported');
    expect(cleanRuntimeMessage('{"msg":"open executable: Operation not permitted","level":"error"}')).toBe('open executable: Operation not permitted');
  });
  it('classifies create failures as Podman does', () => {
    expect(createError('runc', runcNotFound)).toMatchObject({ kind: 'command-not-found', exitCode: 127 });
    expect(createError('runc', 'level=error msg="exec: \\"/x\\": stat /x: no such file or directory"').kind).toBe('command-not-found');
    expect(createError('runc', 'level=error msg="exec: \\"/x\\": permission denied"')).toMatchObject({ kind: 'cannot-invoke', exitCode: 126 });
    expect(createError('runc', 'level=error msg="exec: \\"/bin/mountx\\": stat /bin/mountx: no such file or directory"').kind).toBe('command-not-found');
    // A namespace that vanished is the engine's failure (125), not a missing command (127).
    expect(createError('runc', 'level=error msg="runc create failed: invalid netns path /run/netns/x: no such file or directory"')).toMatchObject({ kind: 'runtime', exitCode: 125 });
    const other = createError('runc', 'level=error msg="rootfs does not look right"');
    expect(other).toMatchObject({ kind: 'runtime', exitCode: 125 });
    expect(other.message).toBe('runc: rootfs does not look right');
  });
});

describe('runtime choice', () => {
  it('crun does not work on hybrid hosts with v2 controllers; runc does', () => {
    const hybrid = { layout: 'hybrid' as const, unifiedControllers: ['hugetlb'] };
    expect(runtimeProblem('crun', hybrid)).toMatch(/hybrid/);
    expect(runtimeProblem('runc', hybrid)).toBeUndefined();
    expect(runtimeProblem('crun', { layout: 'hybrid', unifiedControllers: [] })).toBeUndefined();
    expect(runtimeProblem('crun', { layout: 'v2', unifiedControllers: ['cpu', 'memory'] })).toBeUndefined();
  });
  it('passes --root and the cgroup manager', () => {
    expect(new OciRuntime('/usr/bin/runc', { runRoot: '/run/selkie' }).globalArgs()).toEqual(['--root', '/run/selkie/runc']);
    expect(new OciRuntime('/usr/bin/crun', { runRoot: '/run/selkie' }).globalArgs()).toEqual(['--root', '/run/selkie/crun', '--cgroup-manager=cgroupfs']);
    expect(new OciRuntime('/usr/bin/runc', { runRoot: '/r', cgroupManager: 'systemd' }).globalArgs()).toContain('--systemd-cgroup');
  });
  it('parses versions and signals', () => {
    expect(parseVersionLine('runc version 1.1.5+ds1\ncommit: x\n', 'runc')).toEqual({ name: 'runc', version: '1.1.5+ds1', text: 'runc version 1.1.5+ds1' });
    expect(parseVersionLine('crun version 1.8.1\n', 'crun').version).toBe('1.8.1');
    expect(signalNumber('SIGKILL')).toBe(9);
    expect(signalNumber('term')).toBe(15);
    expect(signalNumber(2)).toBe(2);
    expect(signalNumber('10')).toBe(10);
    expect(signalNumber('RTMIN+1')).toBe(35);
    expect(() => signalNumber('SIGNOPE')).toThrow(/invalid signal/);
  });
});

describe('host facts parsing', () => {
  it('reads /proc/self/limits', () => {
    const text = [
      'Limit                     Soft Limit           Hard Limit           Units     ',
      'Max processes             96364                96364                processes ',
      'Max open files            1024                 20000                files     ',
      'Max core file size        0                    unlimited            bytes     ',
    ].join('\n');
    expect(parseProcLimits(text)).toEqual({
      RLIMIT_NPROC: { soft: 96364, hard: 96364 },
      RLIMIT_NOFILE: { soft: 1024, hard: 20000 },
      RLIMIT_CORE: { soft: 0, hard: Infinity },
    });
  });
  it('reads capability masks', () => {
    expect(capabilitiesFromMask('0000000000000003')).toEqual(['CAP_CHOWN', 'CAP_DAC_OVERRIDE']);
    const all = capabilitiesFromMask('000001fffeffffff');
    expect(all).toHaveLength(40);
    expect(all).not.toContain('CAP_SYS_RESOURCE');
  });
});

describe('conmon arguments', () => {
  const base = {
    id: 'abc',
    runtimePath: '/usr/bin/runc',
    runtimeArgs: ['--root', '/run/selkie/runc'],
    bundle: '/b',
    pidFile: '/r/pidfile',
    conmonPidFile: '/r/conmon.pid',
    exitDir: '/r/exits',
    logPath: '/b/ctr.log',
  };
  it('builds Podman\'s create command line', () => {
    expect(conmonArgs({ ...base, name: 'web', persistDir: '/b/persist', socketDir: '/r/socket', exitCommand: ['/usr/bin/selkie', 'container', 'cleanup', 'abc'] })).toEqual([
      '--api-version', '1', '-c', 'abc', '-u', 'abc', '-r', '/usr/bin/runc', '-b', '/b', '-p', '/r/pidfile', '-n', 'web',
      '--exit-dir', '/r/exits', '--full-attach', '--runtime-arg', '--root', '--runtime-arg', '/run/selkie/runc',
      '-l', 'k8s-file:/b/ctr.log', '--log-level', 'error', '--conmon-pidfile', '/r/conmon.pid', '--socket-dir-path', '/r/socket',
      '--persist-dir', '/b/persist', '--exit-command', '/usr/bin/selkie', '--exit-command-arg', 'container',
      '--exit-command-arg', 'cleanup', '--exit-command-arg', 'abc',
    ]);
  });
  it('-t for a terminal, else -i for stdin', () => {
    expect(conmonArgs({ ...base, terminal: true, stdin: true })).toContain('-t');
    expect(conmonArgs({ ...base, terminal: true, stdin: true })).not.toContain('-i');
    expect(conmonArgs({ ...base, stdin: true })).toContain('-i');
    expect(conmonArgs({ ...base, logDriver: 'none' })).toEqual(expect.arrayContaining(['-l', 'none']));
  });
});

describe('exit files', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });
  it('reads an exit code, or nothing', () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'selkie-exit-'));
    expect(readExitFile(path.join(dir, 'x'))).toBeUndefined();
    fs.writeFileSync(path.join(dir, 'x'), '137');
    expect(readExitFile(path.join(dir, 'x'))).toBe(137);
  });
  it('wakes up when the file is renamed into place', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'selkie-exit-'));
    const d = dir;
    const t0 = Date.now();
    setTimeout(() => {
      fs.writeFileSync(path.join(d, '.tmp'), '3');
      fs.renameSync(path.join(d, '.tmp'), path.join(d, 'ctr'));
    }, 30);
    expect(await waitForExit(d, 'ctr')).toBe(3);
    expect(Date.now() - t0).toBeLessThan(500); // the watch, not the 1 s poll
  });
  it('times out, and aborts', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'selkie-exit-'));
    expect(await waitForExit(dir, 'none', { timeoutMs: 20 })).toBeUndefined();
    const ac = new AbortController();
    const p = waitForExit(dir, 'none', { signal: ac.signal });
    ac.abort(new Error('stop'));
    await expect(p).rejects.toThrow('stop');
  });
  it('fails when conmon is gone without an exit file', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'selkie-exit-'));
    await expect(waitForExit(dir, 'none', { conmonPid: 2 ** 22 + 1 })).rejects.toThrow(/without recording/);
  });
});
