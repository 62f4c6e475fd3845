/**
 * overlay through fuse-overlayfs: forced with `--storage-opt overlay.mount_program=...` (as Podman's
 * storage option), and chosen by storage set-up when the kernel refuses overlay mounts (simulated
 * with a selkie-mount helper that refuses overlay, as a kernel would in a user namespace that does
 * not allow it). Real containers run on it: files written in one exec are seen by the next, a commit
 * keeps them and deletions (whiteouts), export and cp read it, info reports the program, and no
 * mount or fuse-overlayfs process is left behind.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { busyboxTar, makeSelkieEnv, type RunResult, type SelkieEnv } from '../helpers/selkie-cli.js';
import { nativeDir } from '../../src/engine/runtime/native-binary.js';

const FUSE = '/usr/bin/fuse-overlayfs';
const haveFuse = fs.existsSync(FUSE) && fs.existsSync('/dev/fuse');

/** Mounts below `dir` and their filesystem types, from /proc/self/mountinfo. */
function mountsUnder(dir: string): { point: string; type: string }[] {
  return fs
    .readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((l) => l.split(' '))
    .filter((f) => f[4]?.startsWith(`${dir}/`))
    .map((f) => ({ point: f[4]!, type: f[f.indexOf('-') + 1]! }));
}

/** fuse-overlayfs processes whose mount point is below `dir`. */
function fuseProcessesUnder(dir: string): number[] {
  const out: number[] = [];
  for (const e of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const argv = fs.readFileSync(`/proc/${e}/cmdline`, 'utf8').split('\0');
      if (argv[0]?.endsWith('fuse-overlayfs') && argv.some((a) => a.startsWith(dir))) out.push(Number(e));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

describe.skipIf(!haveFuse)('overlay mounted by fuse-overlayfs', () => {
  let s: SelkieEnv;
  let base: string;
  const opt = ['--storage-opt', `overlay.mount_program=${FUSE}`];
  const f = (args: string[]) => s.run([...opt, ...args]);
  const ok = async (args: string[]): Promise<string> => {
    const r = await f(args);
    expect({ args, stderr: r.stderr, code: r.code }).toEqual({ args, stderr: '', code: 0 });
    return r.stdout;
  };
  beforeAll(async () => {
    s = makeSelkieEnv();
    base = path.dirname(s.root);
    const imp = await s.run([...opt, 'import', '--change', 'CMD ["sh"]', '-', 'localhost/busybox'], { input: await busyboxTar() });
    expect(imp.code).toBe(0);
  });
  afterAll(async () => {
    await s.cleanup();
  });

  it('info reports the mount program', async () => {
    const info = JSON.parse(await ok(['info', '--format', 'json'])) as { store: { graphDriverName: string; graphOptions: Record<string, { Executable: string; Version: string }> } };
    expect(info.store.graphDriverName).toBe('overlay');
    expect(info.store.graphOptions['overlay.mount_program']!.Executable).toBe(FUSE);
    expect(info.store.graphOptions['overlay.mount_program']!.Version).toMatch(/fuse-overlayfs: version \d/);
  });

  it('runs containers on it: writes seen by a second exec, kept by commit with their deletions, read by export and cp', async () => {
    expect(await ok(['run', '--rm', 'busybox', 'sh', '-c', "awk '$2 == \"/\" {print $3}' /proc/mounts"])).toBe('fuse.fuse-overlayfs\n');
    await ok(['run', '-d', '--name', 'fw', 'busybox', 'sleep', '300']);
    const id = (await ok(['inspect', 'fw', '--format', '{{.Id}}'])).trim();
    expect(mountsUnder(base).find((m) => m.point === path.join(s.root, 'overlay', id, 'merged'))?.type).toBe('fuse.fuse-overlayfs');
    await ok(['exec', 'fw', 'sh', '-c', 'echo written > /data.txt && mkdir -p /d/e && echo deep > /d/e/f && rm /etc/passwd']);
    expect(await ok(['exec', 'fw', 'cat', '/data.txt', '/d/e/f'])).toBe('written\ndeep\n');
    expect(await ok(['exec', 'fw', 'sh', '-c', 'test -e /etc/passwd && echo present || echo gone'])).toBe('gone\n');
    // diff reads the upper layer fuse-overlayfs wrote (its whiteout for the deleted file included).
    const diff = await ok(['diff', 'fw']);
    expect(diff).toMatch(/^A \/data\.txt$/m);
    expect(diff).toMatch(/^D \/etc\/passwd$/m);
    await ok(['commit', 'fw', 'localhost/fw-image']);
    // The committed image (two layers now) runs on fuse-overlayfs too, with the file and without passwd.
    expect(await ok(['run', '--rm', 'localhost/fw-image', 'sh', '-c', 'cat /data.txt /d/e/f; test -e /etc/passwd || echo no-passwd'])).toBe('written\ndeep\nno-passwd\n');
    await ok(['stop', '-t', '0', 'fw']);
    // Stopped: cp and export mount it for as long as they take.
    const cp = await ok(['cp', 'fw:/data.txt', '-']);
    expect(spawnSync('tar', ['-xOf', '-', 'data.txt'], { input: cp, encoding: 'utf8' }).stdout).toBe('written\n');
    const tarFile = path.join(base, 'fw.tar');
    await ok(['export', '-o', tarFile, 'fw']);
    const list = spawnSync('tar', ['-tf', tarFile], { encoding: 'utf8' }).stdout.split('\n');
    expect(list).toContain('data.txt');
    expect(list).not.toContain('etc/passwd');
    expect(mountsUnder(base).filter((m) => m.type.startsWith('fuse'))).toEqual([]);
    await ok(['rm', 'fw']);
    await ok(['rmi', 'localhost/fw-image']);
    expect(mountsUnder(base).filter((m) => m.type.startsWith('fuse'))).toEqual([]);
    expect(fuseProcessesUnder(base)).toEqual([]);
  });

  it('bad input: a mount program that does not exist, an unknown storage option', async () => {
    const missing = await s.run(['--storage-opt', 'overlay.mount_program=/nonexistent/fuse-overlayfs', 'run', '--rm', 'busybox', 'true']);
    expect(missing.code).toBe(125);
    expect(missing.stderr).toMatch(/mount program \/nonexistent\/fuse-overlayfs does not exist/);
    const unknown = await s.run(['--storage-opt', 'overlay.size=10G', 'ps']);
    expect(unknown.code).toBe(125);
    expect(unknown.stderr).toMatch(/unsupported --storage-opt "overlay\.size=10G"/);
  });
});

describe.skipIf(!haveFuse)('storage set-up falls back to fuse-overlayfs when the kernel refuses overlay mounts', () => {
  let s: SelkieEnv;
  let bin: string;
  let env: NodeJS.ProcessEnv;
  const run = (args: string[], input?: Buffer): Promise<RunResult> => s.run(args, { env, input });
  beforeAll(() => {
    s = makeSelkieEnv();
    // Selkie's mount helper refusing overlay, as the kernel does where overlay is not allowed; the
    // other native helpers are the real ones.
    bin = path.join(path.dirname(s.root), 'no-overlay-native');
    fs.mkdirSync(bin);
    const real = nativeDir();
    for (const f of fs.readdirSync(real)) if (f !== 'selkie-mount') fs.symlinkSync(path.join(real, f), path.join(bin, f));
    fs.writeFileSync(
      path.join(bin, 'selkie-mount'),
      `#!/bin/sh\n[ "$1" = overlay ] && { echo "selkie-mount: mounting overlay on $4: Operation not permitted" >&2; exit 32; }\nexec ${path.join(real, 'selkie-mount')} "$@"\n`,
      { mode: 0o755 },
    );
    env = { SELKIE_NATIVE_DIR: bin };
  });
  afterAll(async () => {
    await s.cleanup();
  });

  it('picks overlay with fuse-overlayfs, records it for later processes, and runs containers', async () => {
    const imp = await run(['import', '--change', 'CMD ["sh"]', '-', 'localhost/busybox'], await busyboxTar());
    expect(imp.stderr).toBe('');
    expect(imp.code).toBe(0);
    expect(fs.readFileSync(path.join(s.root, 'storage-driver'), 'utf8')).toBe('overlay\n');
    expect(fs.readFileSync(path.join(s.root, 'overlay-mount-program'), 'utf8')).toBe(`${FUSE}\n`);
    const info = JSON.parse((await run(['info', '--format', 'json'])).stdout) as { store: { graphDriverName: string; graphOptions: Record<string, { Executable: string }> } };
    expect([info.store.graphDriverName, info.store.graphOptions['overlay.mount_program']?.Executable]).toEqual(['overlay', FUSE]);
    // Later processes (also without the refusing mount on PATH, e.g. conmon's exit command) mount the same way.
    const r = await s.run(['run', '--rm', 'busybox', 'sh', '-c', "echo x > /y && cat /y && awk '$2 == \"/\" {print $3}' /proc/mounts"]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('x\nfuse.fuse-overlayfs\n');
    await s.run(['run', '-d', '--name', 'fb', 'busybox', 'sleep', '300']);
    expect((await s.run(['exec', 'fb', 'sh', '-c', 'echo one > /one; cat /one'])).stdout).toBe('one\n');
    expect((await s.run(['rm', '-f', 'fb'])).code).toBe(0);
    const base = path.dirname(s.root);
    expect(mountsUnder(base).filter((m) => m.type.startsWith('fuse'))).toEqual([]);
    expect(fuseProcessesUnder(base)).toEqual([]);
  });
});
