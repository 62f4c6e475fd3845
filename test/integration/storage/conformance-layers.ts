/**
 * The layers of the storage conformance scenario and the tree a container on top of them must see.
 * Each layer lists the directories it changes (with their times), as image builders do.
 */
import crypto from 'node:crypto';
import { dir, file, hardlink, symlink, T0, whiteout, type TarEntry } from '../../helpers/layer-tar.js';
import { hex } from '../../helpers/tree-manifest.js';

export const base: TarEntry[] = [
  dir('./'),
  dir('bin/'),
  file('bin/sh', '#!sh', { mode: 0o755 }),
  file('bin/ping', 'ping', { mode: 0o4755, xattrs: { 'user.cap': 'net_raw' } }),
  dir('dev/'),
  { name: 'dev/null', type: 'character-device', devmajor: 1, devminor: 3, mode: 0o666 },
  { name: 'dev/loop0', type: 'block-device', devmajor: 7, devminor: 0, mode: 0o660, gid: 6 },
  dir('etc/', { mtime: T0 + 100 }),
  file('etc/passwd', 'root:x:0:0\n', { xattrs: { 'user.origin': 'base' } }),
  file('etc/shadow', 'secret', { mode: 0o640, gid: 42 }),
  symlink('etc/localtime', '/usr/share/zoneinfo/UTC'),
  file('etc/conf', 'a file, then a directory'),
  dir('home/'),
  dir('home/user/', { mode: 0o700, uid: 1000, gid: 1000 }),
  file('home/user/.profile', 'export A=1', { uid: 1000, gid: 1000 }),
  symlink('home/user/link', '.profile', { uid: 1000, gid: 1000 }),
  dir('opt/'),
  dir('opt/app/'),
  file('opt/app/old', 'old'),
  dir('opt/app/sub/'),
  file('opt/app/sub/old2', 'old2'),
  dir('replace-me/'),
  file('replace-me/inner', 'inner'),
  dir('run/'),
  { name: 'run/fifo', type: 'fifo', mode: 0o600 },
  dir('srv/'),
  dir('srv/data/'),
  file('srv/data/x', 'x'),
  dir('tmp/', { mode: 0o1777 }),
  dir('usr/'),
  dir('usr/bin/'),
  file('usr/bin/a', 'one inode, two names', { mode: 0o755 }),
  hardlink('usr/bin/b', 'usr/bin/a'),
  file('usr/bin/solo', 'linked from the next layer'),
  file('usr/bin/sgid', 'sgid', { mode: 0o2755, gid: 50 }),
  dir('usr/lib/'),
  file('usr/lib/libc.so', 'libc'),
  symlink('lib', 'usr/lib'),
  dir('var/'),
  dir('var/cache/'),
  file('var/cache/junk', 'junk'),
  file('var/cache/keep', 'keep'),
];

export const middle: TarEntry[] = [
  dir('./'),
  dir('etc/', { mtime: T0 + 200 }),
  file('etc/passwd', 'root:x:0:0\nuser:x:1000:1000\n'),
  file('etc/shadow', 'secret', { mode: 0o600, gid: 42 }),
  dir('etc/conf/'),
  file('etc/conf/a', 'a'),
  dir('home/'),
  whiteout('home/.wh.user'),
  dir('home/user/', { mode: 0o750, uid: 1001, gid: 1001 }),
  file('home/user/new', 'new', { uid: 1001, gid: 1001 }),
  dir('opt/'),
  dir('opt/app/', { xattrs: { 'user.dir': 'yes' } }),
  whiteout('opt/app/.wh..wh..opq'),
  file('opt/app/new', 'new'),
  dir('srv/'),
  whiteout('srv/.wh.data'),
  dir('usr/'),
  dir('usr/bin/'),
  hardlink('usr/bin/solo2', 'usr/bin/solo'),
  symlink('lib', '/usr/lib'),
  dir('var/'),
  dir('var/cache/'),
  whiteout('var/cache/.wh.junk'),
  file('replace-me', 'now a file'),
];

export const top: TarEntry[] = [
  dir('./'),
  dir('dev/'),
  { name: 'dev/zero', type: 'character-device', devmajor: 1, devminor: 5, mode: 0o666 },
  dir('opt/'),
  dir('opt/app/', { xattrs: { 'user.dir': 'yes' } }),
  file('opt/app/third', '3'),
  dir('tmp/', { mode: 0o1777 }),
  whiteout('tmp/.wh.never-existed'),
];

const sha = (s: string): string => crypto.createHash('sha256').update(s).digest('hex').slice(0, 16);
const m = `mtime=${T0}`;
const f = (p: string, content: string, mode = '0644', owner = '0:0', extra = ''): string =>
  `${p} f ${mode} ${owner} size=${Buffer.byteLength(content)} sha=${sha(content)} ${m}${extra}`;
const d = (p: string, mode = '0755', owner = '0:0', mtime = T0, extra = ''): string => `${p} d ${mode} ${owner} mtime=${mtime}${extra}`;
const l = (p: string, target: string, owner = '0:0'): string => `${p} l 0777 ${owner} -> ${target} ${m}`;

/** What a container on base+middle+top sees (xattr parts dropped when `xattrs` is false). */
export function expectedTree(xattrs: boolean): string[] {
  const x = (name: string, value: string): string => (xattrs ? ` xattr:${name}=${hex(value)}` : '');
  return [
    '. d 0755 0:0',
    d('bin'),
    f('bin/ping', 'ping', '4755', '0:0', x('user.cap', 'net_raw')),
    f('bin/sh', '#!sh', '0755'),
    d('dev'),
    `dev/loop0 b 0660 0:6 dev=7:0 ${m}`,
    `dev/null c 0666 0:0 dev=1:3 ${m}`,
    `dev/zero c 0666 0:0 dev=1:5 ${m}`,
    d('etc', '0755', '0:0', T0 + 200),
    d('etc/conf'),
    f('etc/conf/a', 'a'),
    l('etc/localtime', '/usr/share/zoneinfo/UTC'),
    f('etc/passwd', 'root:x:0:0\nuser:x:1000:1000\n'),
    f('etc/shadow', 'secret', '0600', '0:42'),
    d('home'),
    d('home/user', '0750', '1001:1001'),
    f('home/user/new', 'new', '0644', '1001:1001'),
    l('lib', '/usr/lib'),
    d('opt'),
    d('opt/app', '0755', '0:0', T0, x('user.dir', 'yes')),
    f('opt/app/new', 'new'),
    f('opt/app/third', '3'),
    f('replace-me', 'now a file'),
    d('run'),
    `run/fifo p 0600 0:0 ${m}`,
    d('srv'),
    d('tmp', '1777'),
    d('usr'),
    d('usr/bin'),
    f('usr/bin/a', 'one inode, two names', '0755'),
    f('usr/bin/b', 'one inode, two names', '0755', '0:0', ' link=usr/bin/a'),
    f('usr/bin/sgid', 'sgid', '2755', '0:50'),
    f('usr/bin/solo', 'linked from the next layer'),
    f('usr/bin/solo2', 'linked from the next layer', '0644', '0:0', ' link=usr/bin/solo'),
    d('usr/lib'),
    f('usr/lib/libc.so', 'libc'),
    d('var'),
    d('var/cache'),
    f('var/cache/keep', 'keep'),
  ];
}
