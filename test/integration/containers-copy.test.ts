import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { busyboxTar, makeSelkieEnv, selkieBin, type SelkieEnv } from '../helpers/selkie-cli.js';

let s: SelkieEnv;
let host: string; // a scratch directory on the host
beforeAll(async () => {
  s = makeSelkieEnv();
  host = path.join(s.root, '..', 'host');
  fs.mkdirSync(host);
  const r = await s.run(['import', '--change', 'CMD ["sh"]', '-', 'localhost/busybox'], { input: await busyboxTar() });
  expect(r.code).toBe(0);
  const made = await s.run([
    'run', '--name', 'box', 'busybox', 'sh', '-c',
    'mkdir -p /d/sub && echo one > /d/a && echo two > /d/sub/b && chown 5:6 /d/a && ln -s a /d/alink && ln -s /etc /d/etclink && ln -s ../../../../.. /escape',
  ]);
  expect(made.code).toBe(0);
});
afterAll(async () => s.cleanup());

const fresh = (name: string) => {
  const p = path.join(host, name);
  fs.mkdirSync(p, { recursive: true });
  return p;
};
const tree = (dir: string) => spawnSync('find', ['.', '-mindepth', '1'], { cwd: dir, encoding: 'utf8' }).stdout.split('\n').filter(Boolean).sort();

describe('cp from a container', () => {
  it("follows Docker's rules: a directory nests into an existing one, /. copies its content, a missing DEST is created", async () => {
    const out = fresh('out1');
    expect((await s.run(['cp', 'box:/d', out])).code).toBe(0);
    expect(tree(out)).toEqual(['./d', './d/a', './d/alink', './d/etclink', './d/sub', './d/sub/b']);
    expect(fs.readlinkSync(path.join(out, 'd/alink'))).toBe('a');
    expect((await s.run(['cp', 'box:/d/.', path.join(out, 'contents')])).code).toBe(0);
    expect(tree(path.join(out, 'contents'))).toEqual(['./a', './alink', './etclink', './sub', './sub/b']);
    const into = fresh('out1/into');
    expect((await s.run(['cp', 'box:d/.', into])).code).toBe(0); // relative container paths start at /
    expect(tree(into)).toEqual(['./a', './alink', './etclink', './sub', './sub/b']);
    expect((await s.run(['cp', 'box:/d', path.join(out, 'renamed')])).code).toBe(0);
    expect(fs.readFileSync(path.join(out, 'renamed/sub/b'), 'utf8')).toBe('two\n');
  });

  it('puts a file into a directory, over a file, or at a new name; owner is the caller unless -a', async () => {
    const out = fresh('out2');
    expect((await s.run(['cp', 'box:/d/a', out])).code).toBe(0);
    expect(fs.statSync(path.join(out, 'a')).uid).toBe(0);
    fs.writeFileSync(path.join(out, 'over'), 'old content that is longer\n');
    expect((await s.run(['cp', 'box:/d/a', path.join(out, 'over')])).code).toBe(0);
    expect(fs.readFileSync(path.join(out, 'over'), 'utf8')).toBe('one\n');
    expect((await s.run(['cp', '-a', 'box:/d/a', path.join(out, 'kept')])).code).toBe(0);
    const st = fs.statSync(path.join(out, 'kept'));
    expect([st.uid, st.gid]).toEqual([5, 6]);
  });

  it('copies a symlink as a link, or its target with -L', async () => {
    const out = fresh('out3');
    expect((await s.run(['cp', 'box:/d/alink', path.join(out, 'l')])).code).toBe(0);
    expect(fs.lstatSync(path.join(out, 'l')).isSymbolicLink()).toBe(true);
    expect((await s.run(['cp', '-L', 'box:/d/alink', path.join(out, 'f')])).code).toBe(0);
    expect(fs.readFileSync(path.join(out, 'f'), 'utf8')).toBe('one\n');
  });

  it('resolves symlinks inside the container root, never on the host', async () => {
    const out = fresh('out4');
    // /escape -> ../../../../.. climbs no higher than the container's /; /d/etclink -> /etc is the container's /etc
    expect((await s.run(['cp', 'box:/escape/etc/passwd', path.join(out, 'pw')])).code).toBe(0);
    expect(fs.readFileSync(path.join(out, 'pw'), 'utf8')).toBe(fs.readFileSync(path.join(out, 'pw'), 'utf8'));
    expect(fs.readFileSync(path.join(out, 'pw'), 'utf8')).toContain('root:x:0:0:root:/root:/bin/sh');
    expect(fs.readFileSync(path.join(out, 'pw'), 'utf8')).not.toBe(fs.readFileSync('/etc/passwd', 'utf8'));
    expect((await s.run(['cp', 'box:/d/etclink/group', path.join(out, 'gr')])).code).toBe(0);
    expect(fs.readFileSync(path.join(out, 'gr'), 'utf8')).not.toBe(fs.readFileSync('/etc/group', 'utf8'));
  });

  it('writes a tar stream to stdout with -', async () => {
    const r = spawnSync(selkieBin, [...s.flags, 'cp', 'box:/d', '-'], { maxBuffer: 16 * 1024 * 1024 });
    expect(r.status).toBe(0);
    const list = spawnSync('tar', ['-tv'], { input: r.stdout, encoding: 'utf8' }).stdout;
    expect(list).toMatch(/^-rw-r--r-- 5\/6 +4 .* d\/a$/m);
    expect(list).toMatch(/ d\/sub\/b$/m);
  });

  it('refuses a missing source, a missing destination parent and a directory onto a file', async () => {
    const out = fresh('out5');
    fs.writeFileSync(path.join(out, 'file'), 'x');
    const missing = await s.run(['cp', 'box:/nope', out]);
    expect(missing.code).toBe(125);
    expect(missing.stderr).toContain('could not find the file /nope in container box');
    const parent = await s.run(['cp', 'box:/d/a', path.join(out, 'no/such/dir/x')]);
    expect(parent.code).toBe(125);
    expect(parent.stderr).toContain('parent directory does not exist');
    expect((await s.run(['cp', 'box:/d', path.join(out, 'file')])).stderr).toContain('cannot copy a directory to a file');
    expect((await s.run(['cp', 'box:/d/a', path.join(out, 'newdir') + '/'])).stderr).toContain('does not exist');
    expect((await s.run(['cp', 'nobox:/d', out])).stderr).toContain('container "nobox" not found');
    expect((await s.run(['cp', out, path.join(out, 'x')])).stderr).toContain('must specify at least one container');
    expect(fs.readdirSync(out)).toEqual(['file']);
  });
});

describe('cp into a container', () => {
  it("copies files and directories with Docker's rules; copied files belong to the container's root unless -a", async () => {
    const src = fresh('src1');
    fs.mkdirSync(path.join(src, 'dir/inner'), { recursive: true });
    fs.writeFileSync(path.join(src, 'dir/f'), 'f\n');
    fs.writeFileSync(path.join(src, 'file'), 'file\n');
    fs.chownSync(path.join(src, 'file'), 7, 8);
    expect((await s.run(['cp', path.join(src, 'file'), 'box:/new'])).code).toBe(0);
    expect((await s.run(['cp', path.join(src, 'file'), 'box:/d'])).code).toBe(0);
    expect((await s.run(['cp', '-a', path.join(src, 'file'), 'box:/d/owned'])).code).toBe(0);
    expect((await s.run(['cp', path.join(src, 'dir'), 'box:/d'])).code).toBe(0);
    expect((await s.run(['cp', `${path.join(src, 'dir')}/.`, 'box:/tmp'])).code).toBe(0);
    expect((await s.run(['cp', path.join(src, 'dir'), 'box:/made'])).code).toBe(0);
    const out = fresh('back');
    for (const p of ['/new', '/d/file', '/d/owned', '/d/dir/f', '/tmp/f', '/made/f']) {
      expect((await s.run(['cp', '-a', `box:${p}`, path.join(out, p.replaceAll('/', '_'))])).code, p).toBe(0);
    }
    expect(fs.readFileSync(path.join(out, '_new'), 'utf8')).toBe('file\n');
    expect(fs.statSync(path.join(out, '_d_file')).uid).toBe(0);
    expect(fs.statSync(path.join(out, '_d_owned')).uid).toBe(7);
    expect(fs.existsSync(path.join(out, '_tmp_f'))).toBe(true);
    expect(fs.existsSync(path.join(out, '_made_f'))).toBe(true);
  });

  it('writes into a running container through its root, and symlinks cannot lead outside it', async () => {
    expect((await s.run(['run', '-d', '--name', 'live', 'busybox', 'sh', '-c', 'ln -s / /up; ln -s /../../../tmp /tmplink; sleep 600'])).code).toBe(0);
    const src = fresh('src2');
    fs.writeFileSync(path.join(src, 'payload'), 'inside\n');
    await new Promise((r) => setTimeout(r, 300));
    expect((await s.run(['cp', path.join(src, 'payload'), 'live:/tmplink/'])).code).toBe(0);
    expect((await s.run(['exec', 'live', 'cat', '/tmp/payload'])).stdout).toBe('inside\n');
    expect(fs.existsSync('/tmp/payload')).toBe(false);
    expect((await s.run(['cp', path.join(src, 'payload'), 'live:/up/root/p2'])).code).toBe(0);
    expect((await s.run(['exec', 'live', 'cat', '/root/p2'])).stdout).toBe('inside\n');
    // the engine's /etc files are what the container sees, not the empty mount points below them
    expect((await s.run(['cp', 'live:/etc/hostname', path.join(src, 'hn')])).code).toBe(0);
    expect(fs.readFileSync(path.join(src, 'hn'), 'utf8')).toBe((await s.run(['exec', 'live', 'cat', '/etc/hostname'])).stdout);
    expect(fs.readFileSync(path.join(src, 'hn'), 'utf8')).not.toBe('');
    expect((await s.run(['rm', '-f', 'live'])).code).toBe(0);
  });

  it('extracts a tar stream from stdin into a directory', async () => {
    const src = fresh('src3');
    fs.writeFileSync(path.join(src, 'one'), '1\n');
    fs.mkdirSync(path.join(src, 'two'));
    const tar = spawnSync('tar', ['-c', '-C', src, 'one', 'two']).stdout;
    expect((await s.run(['cp', '-', 'box:/tmp'], { input: tar })).code).toBe(0);
    const r = await s.run(['cp', 'box:/tmp/one', '-']);
    expect(r.code).toBe(0);
    const notDir = await s.run(['cp', '-', 'box:/d/a'], { input: tar });
    expect(notDir.code).toBe(125);
    expect(notDir.stderr).toContain('is not a directory');
  });

  it('writes into a volume mounted at the destination', async () => {
    expect((await s.run(['create', '--name', 'withvol', '-v', 'cpvol:/vol', 'busybox', 'true'])).code).toBe(0);
    const src = fresh('src4');
    fs.writeFileSync(path.join(src, 'v'), 'in volume\n');
    expect((await s.run(['cp', path.join(src, 'v'), 'withvol:/vol/'])).code).toBe(0);
    expect(fs.readFileSync(path.join(s.root, 'volumes/cpvol/_data/v'), 'utf8')).toBe('in volume\n');
  });

  it('refuses a missing source, a missing destination directory, and leaves the container unmounted', async () => {
    const missing = await s.run(['cp', path.join(host, 'nope'), 'box:/tmp']);
    expect(missing.code).toBe(125);
    expect(missing.stderr).toContain('no such file or directory');
    const src = fresh('src5');
    fs.writeFileSync(path.join(src, 'f'), 'x');
    const parent = await s.run(['cp', path.join(src, 'f'), 'box:/no/such/x']);
    expect(parent.code).toBe(125);
    expect(parent.stderr).toContain('parent directory does not exist');
    expect(fs.readFileSync('/proc/self/mounts', 'utf8')).not.toContain(s.root);
  });
});
