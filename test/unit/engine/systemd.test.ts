import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { newRunCommand, splitCreateCommand, defaultValueFlags } from '../../../src/engine/systemd/create-command.js';
import { commandLine, containerUnit, podUnit, quoteWord } from '../../../src/engine/systemd/unit-generator.js';
import { formatRestartPolicy, parseRestartPolicy, restartDelayMs, shouldRestart } from '../../../src/engine/systemd/restart-policy.js';
import { resolveSdNotifyMode, sdNotifyPlan, startedMessage } from '../../../src/engine/systemd/sd-notify.js';
import { callerCgroup, cgroupsPathFor, parseCgroupsMode } from '../../../src/engine/systemd/cgroups-mode.js';
import { inheritedListenFds } from '../../../src/engine/systemd/socket-activation.js';
import { resolveLogDriver } from '../../../src/engine/systemd/log-driver.js';
import { journalEntryToLine, journalctlArgs } from '../../../src/engine/systemd/journald-logs.js';
import { isSelkieError } from '../../../src/engine/errors.js';

const errorOf = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    if (isSelkieError(e)) return e.message;
    throw e;
  }
  throw new Error('no error');
};

describe('create command → the run of a --new unit', () => {
  const argv = ['/usr/bin/selkie', '--root', '/r', 'run', '-d', '--rm', '--name', 'web', '-e', 'A=1', '--restart=always', '-p', '8080:80', '--cidfile', '/x', 'img', 'sh', '-c', 'x -d'];
  it('splits global flags, command words, options with their values and the image', () => {
    const s = splitCreateCommand(argv, defaultValueFlags);
    expect(s.global).toEqual(['--root', '/r']);
    expect(s.command).toEqual(['run']);
    expect(s.rest).toEqual(['img', 'sh', '-c', 'x -d']);
    expect(s.options).toContainEqual(['-e', 'A=1']);
    expect(splitCreateCommand(['selkie', 'container', 'create', 'img'], defaultValueFlags).command).toEqual(['container', 'create']);
    // "--root run" is a value, not the command word.
    expect(splitCreateCommand(['selkie', '--root', 'run', 'create', 'img'], defaultValueFlags).global).toEqual(['--root', 'run']);
  });
  it('drops the flags the unit owns and adds its own, keeping a --sdnotify of the user', () => {
    const r = newRunCommand(argv, { name: 'web' });
    expect(r.global).toEqual(['--root', '/r']);
    expect(r.run).toEqual(['run', '--cidfile=%t/%n.ctr-id', '--cgroups=no-conmon', '--rm', '--sdnotify=conmon', '-d', '--replace', '--name', 'web', '-e', 'A=1', '-p', '8080:80']);
    expect(r.image).toEqual(['img', 'sh', '-c', 'x -d']);
    const own = newRunCommand(['selkie', 'create', '--sdnotify=container', 'img'], { name: 'c' });
    expect(own.run).not.toContain('--sdnotify=conmon');
    expect(own.run).toContain('--sdnotify=container');
  });
});

describe('unit text', () => {
  const ctx = { executable: '/usr/bin/selkie', globalArgs: [], version: '1.0', runRoot: '/run/selkie', now: new Date(0) };
  const c = { id: 'a'.repeat(64), name: 'web', stopTimeout: 10, conmonPidFile: '/run/selkie/c/conmon.pid', createCommand: ['selkie', 'run', '--name', 'web', 'img'] };
  it('quotes words for systemd and escapes specifiers and $ in user data', () => {
    expect(quoteWord('plain')).toBe('plain');
    expect(quoteWord('a b')).toBe('"a b"');
    expect(quoteWord('say "hi"')).toBe('"say \\"hi\\""');
    expect(quoteWord('100%')).toBe('100%%');
    expect(quoteWord('$HOME')).toBe('$$HOME');
    expect(quoteWord('--cidfile=%t/%n.ctr-id')).toBe('--cidfile=%t/%n.ctr-id');
    expect(commandLine(['a', '-b'])).toBe('a -b');
    expect(commandLine(['/usr/bin/selkie', 'run', `--name=${'x'.repeat(70)}`, '-d'], ['img', '-c'])).toBe(`/usr/bin/selkie run \\\n\t--name=${'x'.repeat(70)} \\\n\t-d img -c`);
  });
  it('writes a forking unit by default and a notify unit with --new', () => {
    const fork = containerUnit(c, { useName: true }, ctx).text;
    expect(fork).toContain('\nType=forking\n');
    expect(fork).toContain('\nPIDFile=/run/selkie/c/conmon.pid\n');
    expect(fork).toContain('\nExecStart=/usr/bin/selkie start web\n');
    expect(fork).toContain('# Thu, 01 Jan 1970 00:00:00 GMT');
    const fresh = containerUnit(c, { new: true, useName: true, noHeader: true }, ctx).text;
    expect(fresh.startsWith('[Unit]')).toBe(true);
    expect(fresh).toContain('\nType=notify\nNotifyAccess=all\n');
    expect(fresh).not.toContain('PIDFile');
    expect(() => containerUnit({ ...c, createCommand: undefined }, { new: true }, ctx)).toThrow(/no create command recorded/);
  });
  it('ties pods and their containers together', () => {
    const pod = podUnit({ id: 'p', name: 'pod1', infra: { ...c, name: 'pod1-infra' } }, ['container-a', 'container-b'], { useName: true }, ctx).text;
    expect(pod).toContain('\nWants=container-a.service container-b.service\nBefore=container-a.service container-b.service\n');
    const member = containerUnit(c, { useName: true }, ctx, 'pod-pod1').text;
    expect(member).toContain('\nBindsTo=pod-pod1.service\nAfter=pod-pod1.service\n');
    // --new for a pod needs the pod create it replays (systemd-pod-new.test.ts has the rest).
    expect(errorOf(() => podUnit({ id: 'p', name: 'pod1', infra: c, createCommand: [] }, [], { new: true }, ctx))).toMatch(/does not appear to be made by pod create/);
  });
});

describe('restart policies', () => {
  it('parses and formats', () => {
    expect(parseRestartPolicy(undefined)).toEqual({ name: 'no', maximumRetryCount: 0 });
    expect(parseRestartPolicy('on-failure:5')).toEqual({ name: 'on-failure', maximumRetryCount: 5 });
    expect(parseRestartPolicy('unless-stopped').name).toBe('unless-stopped');
    expect(errorOf(() => parseRestartPolicy('always:2'))).toMatch(/only on-failure takes a retry count/);
    expect(errorOf(() => parseRestartPolicy('never'))).toMatch(/invalid --restart "never"/);
    expect(formatRestartPolicy({ name: 'on-failure', maximumRetryCount: 3 })).toBe('on-failure:3');
  });
  it('decides like Podman: failures only for on-failure, a retry limit, never after a user stop', () => {
    const of = parseRestartPolicy('on-failure:2');
    expect(shouldRestart(of, 1, 0, false)).toBe(true);
    expect(shouldRestart(of, 1, 2, false)).toBe(false);
    expect(shouldRestart(of, 0, 0, false)).toBe(false);
    expect(shouldRestart(parseRestartPolicy('on-failure'), 1, 100, false)).toBe(true);
    expect(shouldRestart(parseRestartPolicy('always'), 0, 9, false)).toBe(true);
    expect(shouldRestart(parseRestartPolicy('always'), 0, 0, true)).toBe(false);
    expect(shouldRestart(parseRestartPolicy('no'), 1, 0, false)).toBe(false);
    expect([0, 1, 2, 20].map(restartDelayMs)).toEqual([100, 200, 400, 10_000]);
  });
});

describe('sd_notify modes', () => {
  it('defaults to container with a socket and ignore without; container needs a socket', () => {
    expect(resolveSdNotifyMode(undefined, '/run/x.sock')).toBe('container');
    expect(resolveSdNotifyMode(undefined, undefined)).toBe('ignore');
    expect(resolveSdNotifyMode('conmon', undefined)).toBe('conmon');
    expect(errorOf(() => resolveSdNotifyMode('container', undefined))).toMatch(/needs a NOTIFY_SOCKET/);
    expect(errorOf(() => resolveSdNotifyMode('bogus', '/s'))).toMatch(/invalid --sdnotify/);
  });
  it('plans what conmon, the container and the unit get', () => {
    const bundle = fs.mkdtempSync(path.join(os.tmpdir(), 'sd-plan-'));
    const c = sdNotifyPlan('container', '/run/unit.sock', bundle);
    expect(c.conmonSocket).toBe('/run/unit.sock');
    expect(c.env).toEqual(['NOTIFY_SOCKET=/run/notify/notify.sock']);
    expect(c.mounts[0]).toMatchObject({ destination: '/run/notify', source: path.join(bundle, 'notify') });
    expect(fs.statSync(path.join(bundle, 'notify')).isDirectory()).toBe(true);
    expect(startedMessage(c, 42)).toBe('MAINPID=42');
    const m = sdNotifyPlan('conmon', '/run/unit.sock', bundle);
    expect(m.conmonSocket).toBeUndefined();
    expect(startedMessage(m, 42)).toBe('MAINPID=42\nREADY=1');
    expect(startedMessage(sdNotifyPlan('conmon', undefined, bundle), 42)).toBeUndefined();
    expect(startedMessage(sdNotifyPlan('ignore', '/run/unit.sock', bundle), 42)).toBeUndefined();
    fs.rmSync(bundle, { recursive: true });
  });
});

describe('cgroups, activation sockets, log drivers', () => {
  it('--cgroups modes', () => {
    expect(cgroupsPathFor('enabled', 'abc')).toBe('/selkie/abc');
    expect(cgroupsPathFor('no-conmon', 'abc')).toBe('/selkie/abc');
    expect(cgroupsPathFor('split', 'abc', () => '/system.slice/web.service')).toBe('/system.slice/web.service/selkie-abc');
    expect(cgroupsPathFor('disabled', 'abc')).toBeUndefined();
    expect(callerCgroup('12:cpu,cpuacct:/x\n1:name=systemd:/user.slice/u.scope\n0::/ignored-not\n')).toBe('/ignored-not');
    expect(callerCgroup('12:cpu:/x\n1:name=systemd:/user.slice/u.scope\n')).toBe('/user.slice/u.scope');
    expect(errorOf(() => parseCgroupsMode('disabled', 'runc'))).toMatch(/not possible with the runc runtime/);
    expect(parseCgroupsMode('disabled', 'crun')).toBe('disabled');
  });
  it('LISTEN_FDS for this pid only', () => {
    expect(inheritedListenFds({ LISTEN_FDS: '2', LISTEN_PID: '77', LISTEN_FDNAMES: 'a:b' }, 77)).toEqual({ fds: [3, 4], env: ['LISTEN_FDS=2', 'LISTEN_PID=1', 'LISTEN_FDNAMES=a:b'] });
    expect(inheritedListenFds({ LISTEN_FDS: '2', LISTEN_PID: '78' }, 77)).toBeUndefined();
    expect(inheritedListenFds({ LISTEN_FDS: '0', LISTEN_PID: '77' }, 77)).toBeUndefined();
    expect(inheritedListenFds({}, 77)).toBeUndefined();
  });
  it('log drivers and journal entries', () => {
    expect(resolveLogDriver(undefined)).toBe('k8s-file');
    expect(resolveLogDriver('json-file')).toBe('k8s-file');
    expect(resolveLogDriver('journald', () => true)).toBe('journald');
    expect(errorOf(() => resolveLogDriver('journald', () => false))).toBe('no systemd journal on this host (/run/systemd/journal/socket is missing): use --log-driver k8s-file');
    expect(errorOf(() => resolveLogDriver('syslog'))).toMatch(/invalid --log-driver/);
    expect(journalctlArgs('abc', { tail: 5, follow: true })).toEqual(['--no-pager', '-o', 'json', 'CONTAINER_ID_FULL=abc', '-n', '5', '-f']);
    expect(journalEntryToLine({ MESSAGE: 'hi', PRIORITY: '3', __REALTIME_TIMESTAMP: '1000000000123456' })).toEqual({ stream: 'stderr', text: 'hi', partial: false, time: '2001-09-09T01:46:40.123456000Z' });
  });
});
