/**
 * Who started a running container: the audit login UID (/proc/PID/loginuid) of its main process,
 * which it inherits from the login session that started it (through the engine and conmon), and that
 * user's name on the host. Not part of Docker's or Podman's inspect JSON: it goes under the
 * Selkie-specific `Selkie` key. A process outside any login session (a system service) has no login
 * UID: null.
 */
import fs from 'node:fs';
import type { ContainerInspect } from '../types/container.js';
import type { ContainerRecord } from './container-record.js';

/** The kernel's "not set" login UID ((uid_t)-1). */
const UNSET = 4294967295;

export function readLoginUid(pid: number, procRoot = '/proc'): number | null | undefined {
  let text: string;
  try {
    text = fs.readFileSync(`${procRoot}/${pid}/loginuid`, 'utf8').trim();
  } catch {
    return undefined; // exited meanwhile, or no audit support
  }
  if (!/^\d+$/.test(text)) return undefined;
  const uid = Number(text);
  return uid === UNSET ? null : uid;
}

/** The host user name of a UID, from /etc/passwd ('' when not listed). */
export function hostUserName(uid: number, passwd = '/etc/passwd'): string {
  try {
    for (const line of fs.readFileSync(passwd, 'utf8').split('\n')) {
      const f = line.split(':');
      if (f.length > 2 && f[2] === String(uid)) return f[0]!;
    }
  } catch {
    // no passwd file: the UID alone
  }
  return '';
}

/** inspect's `Selkie` key for a running container; nothing for one that is not running. */
export function startedBy(c: Pick<ContainerRecord, 'state' | 'pid'>, procRoot = '/proc'): Pick<ContainerInspect, 'Selkie'> {
  if ((c.state !== 'running' && c.state !== 'paused') || !c.pid) return {};
  const uid = readLoginUid(c.pid, procRoot);
  if (uid === undefined) return {};
  return { Selkie: { LoginUid: uid, LoginUser: uid === null ? '' : hostUserName(uid) } };
}
