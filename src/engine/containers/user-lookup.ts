/** `-u user[:group]` resolved through the container's own /etc/passwd and /etc/group. */
import fs from 'node:fs';
import path from 'node:path';
import { SelkieError } from '../errors.js';

export interface ResolvedUser {
  uid: number;
  gid: number;
  additionalGids: number[];
  home: string;
}

export function resolveUser(rootfs: string, spec: string, groupAdd: readonly string[] = []): ResolvedUser {
  const [userPart = '', groupPart] = spec.split(':', 2);
  const passwd = readTable(rootfs, 'etc/passwd');
  const groups = readTable(rootfs, 'etc/group');
  let uid = 0;
  let gid = 0;
  let home = '/';
  if (userPart === '' || userPart === 'root') {
    const root = passwd.find((p) => p[2] === '0');
    home = root?.[5] ?? '/root';
  } else if (/^\d+$/.test(userPart)) {
    uid = Number(userPart);
    const entry = passwd.find((p) => p[2] === userPart);
    gid = entry ? Number(entry[3]) : 0;
    home = entry?.[5] ?? '/';
  } else {
    const entry = passwd.find((p) => p[0] === userPart);
    if (!entry) throw new SelkieError('invalid', `unable to find user ${userPart}: no matching entries in the container's /etc/passwd`, { hint: 'use a numeric UID' });
    uid = Number(entry[2]);
    gid = Number(entry[3]);
    home = entry[5] ?? '/';
  }
  if (groupPart !== undefined && groupPart !== '') gid = groupId(groupPart, groups);
  const name = /^\d+$/.test(userPart) ? passwd.find((p) => p[2] === userPart)?.[0] : userPart || 'root';
  const member = name ? groups.filter((g) => (g[3] ?? '').split(',').includes(name)).map((g) => Number(g[2])) : [];
  const additionalGids = [...new Set([...member, ...groupAdd.map((g) => groupId(g, groups))])].filter((g) => g !== gid);
  return { uid, gid, additionalGids, home };
}

function groupId(g: string, groups: string[][]): number {
  if (/^\d+$/.test(g)) return Number(g);
  const entry = groups.find((e) => e[0] === g);
  if (!entry) throw new SelkieError('invalid', `unable to find group ${g}: no matching entries in the container's /etc/group`, { hint: 'use a numeric GID' });
  return Number(entry[2]);
}

function readTable(rootfs: string, rel: string): string[][] {
  try {
    // The file lives inside the container: refuse to follow a symlink out of the rootfs.
    const p = path.join(rootfs, rel);
    if (fs.lstatSync(p).isSymbolicLink()) return [];
    return fs
      .readFileSync(p, 'utf8')
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => l.split(':'));
  } catch {
    return [];
  }
}
