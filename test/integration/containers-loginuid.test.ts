/**
 * The audit trail names the person: a container is a descendant of the CLI that started it, so it
 * carries the caller's loginuid — attached or detached, and an exec carries its own caller's.
 */
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { busyboxEnv, selkieBin, type SelkieEnv } from '../helpers/selkie-cli.js';

let s: SelkieEnv;
beforeAll(async () => {
  s = await busyboxEnv();
});
afterAll(async () => s.cleanup());

/** Runs selkie in a shell that first sets its own loginuid (as pam_loginuid does at login). */
function asLoginUid(uid: number, args: string[]) {
  const quoted = [selkieBin, ...s.flags, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  return spawnSync('sh', ['-c', `echo ${uid} > /proc/self/loginuid && exec ${quoted}`], { encoding: 'utf8' });
}

describe('loginuid', () => {
  it("is the caller's inside an attached container", () => {
    const r = asLoginUid(1000, ['run', '--rm', 'busybox', 'cat', '/proc/self/loginuid']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe('1000');
  });

  it("is the caller's for a detached container and for an exec by someone else", () => {
    const r = asLoginUid(1234, ['run', '-d', '--name', 'audited', 'busybox', 'sleep', '1000']);
    expect(r.status, r.stderr).toBe(0);
    expect(asLoginUid(1000, ['exec', 'audited', 'cat', '/proc/1/loginuid']).stdout).toBe('1234');
    expect(asLoginUid(1001, ['exec', 'audited', 'cat', '/proc/self/loginuid']).stdout).toBe('1001');
    // From the host: the container's process, a child of conmon, not of a daemon.
    const pid = s.runSync(['inspect', '--format', '{{.State.Pid}}', 'audited']).stdout.trim();
    expect(spawnSync('cat', [`/proc/${pid}/loginuid`], { encoding: 'utf8' }).stdout).toBe('1234');
  });
});
