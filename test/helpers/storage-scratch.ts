/**
 * Scratch directories for storage tests: under /var/tmp (a disk filesystem with xattrs, unlike a
 * tmpfs /tmp on some hosts), and removed with everything mounted under them, even after failures.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export function scratchDir(tag: string): string {
  return fs.mkdtempSync(path.join('/var/tmp', `selkie-${tag}-`));
}

/** Mount points at or below `dir`, deepest first. */
export function mountsUnder(dir: string): string[] {
  const info = fs.readFileSync('/proc/self/mountinfo', 'utf8');
  const out: string[] = [];
  for (const line of info.split('\n')) {
    const mp = line.split(' ')[4]?.replace(/\\([0-7]{3})/g, (_m, o: string) => String.fromCharCode(parseInt(o, 8)));
    if (mp && (mp === dir || mp.startsWith(`${dir}/`))) out.push(mp);
  }
  return out.sort((a, b) => b.length - a.length);
}

export function removeScratch(dir: string): void {
  for (const mp of mountsUnder(dir)) spawnSync('umount', ['-l', mp]);
  spawnSync('rm', ['-rf', '--one-file-system', dir]);
}
