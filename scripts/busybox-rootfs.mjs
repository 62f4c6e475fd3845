// A minimal root filesystem from Debian's busybox-static, as a tar (Buffer): /bin/busybox, a symlink
// per applet, /etc/passwd and /etc/group, the usual empty directories. Used by set-up for the
// built-in image and by the benchmarks to give podman the same image.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function busyboxRootfsTar() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'selkie-busybox-'));
  try {
    for (const d of ['bin', 'sbin', 'usr/bin', 'usr/sbin', 'etc', 'root', 'tmp', 'home', 'var', 'proc', 'sys', 'dev', 'run']) {
      fs.mkdirSync(path.join(dir, d), { recursive: true });
    }
    fs.chmodSync(dir, 0o755); // the image's / (mkdtemp made it 0700)
    fs.chmodSync(path.join(dir, 'tmp'), 0o1777);
    fs.chmodSync(path.join(dir, 'root'), 0o700);
    fs.copyFileSync('/bin/busybox', path.join(dir, 'bin/busybox'));
    fs.chmodSync(path.join(dir, 'bin/busybox'), 0o755);
    const applets = execFileSync('/bin/busybox', ['--list-full'], { encoding: 'utf8' }).split('\n').filter(Boolean);
    for (const a of applets) {
      const p = path.join(dir, a);
      if (fs.existsSync(p)) continue;
      fs.mkdirSync(path.dirname(p), { recursive: true });
      fs.symlinkSync('/bin/busybox', p);
    }
    fs.writeFileSync(path.join(dir, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n');
    fs.writeFileSync(path.join(dir, 'etc/group'), 'root:x:0:\nnogroup:x:65534:\n');
    const tar = spawnSync('tar', ['--numeric-owner', '--owner=0', '--group=0', '--sort=name', '-C', dir, '-c', '.'], { maxBuffer: 1 << 30 });
    if (tar.status !== 0) throw new Error(`tar failed: ${tar.stderr}`);
    return tar.stdout;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
