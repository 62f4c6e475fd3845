import { execFileSync } from 'node:child_process';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { busyboxTar, makeSelkieEnv, type SelkieEnv } from '../helpers/selkie-cli.js';

let s: SelkieEnv;
let tar: Buffer;
beforeAll(async () => {
  s = makeSelkieEnv({ storageDriver: 'vfs' });
  tar = await busyboxTar();
});
afterAll(async () => s.cleanup());

describe('import and local image commands', () => {
  let id = '';

  it('imports a tar from stdin as a named image and prints its ID', async () => {
    const r = await s.run(['import', '--change', 'CMD ["sh"]', '--change', 'ENV FOO=bar', '-', 'mybox'], { input: tar });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^sha256:[0-9a-f]{64}\n$/);
    id = r.stdout.trim().slice(7);
  });

  it('imports a gzip tar from a file', async () => {
    const file = `${s.root}/../bb.tar.gz`;
    execFileSync('sh', ['-c', `cat > ${file}`], { input: zlib.gzipSync(tar) });
    const r = await s.run(['import', file, 'localhost/gz:v1']);
    expect(r.code).toBe(0);
  });

  it('lists images like docker images, with templates and -q', async () => {
    const r = await s.run(['images']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^REPOSITORY +TAG +IMAGE ID +CREATED +SIZE$/);
    expect(r.stdout).toMatch(new RegExp(`localhost/mybox +latest +${id.slice(0, 12)} +(Less than a second|\\d+ seconds?) ago +2\\.\\d+MB`));
    expect((await s.run(['images', '--format', '{{.Repository}}:{{.Tag}}'])).stdout.split('\n').sort()).toEqual(['', 'localhost/gz:v1', 'localhost/mybox:latest']);
    expect((await s.run(['images', '-q', 'mybox'])).stdout).toBe(`${id.slice(0, 12)}\n`);
    expect((await s.run(['images', '--filter', 'reference=localhost/gz:*', '--format', '{{.Tag}}'])).stdout).toBe('v1\n');
    const json = JSON.parse((await s.run(['images', '--format', 'json'])).stdout) as { Id: string }[];
    expect(json.map((j) => j.Id)).toContain(`sha256:${id}`);
  });

  it('inspects an image with Docker-compatible JSON', async () => {
    const r = await s.run(['image', 'inspect', 'mybox']);
    expect(r.code).toBe(0);
    const [img] = JSON.parse(r.stdout) as { Id: string; RepoTags: string[]; Config: { Cmd: string[]; Env: string[] }; Os: string; Architecture: string; RootFS: { Layers: string[] } }[];
    expect(img!.Id).toBe(`sha256:${id}`);
    expect(img!.RepoTags).toEqual(['localhost/mybox:latest']);
    expect(img!.Config.Cmd).toEqual(['sh']);
    expect(img!.Config.Env).toEqual(['FOO=bar']);
    expect(img!.Os).toBe('linux');
    expect(img!.RootFS.Layers).toHaveLength(1);
    expect((await s.run(['inspect', '--format', '{{.Id}}', id.slice(0, 8)])).stdout).toBe(`sha256:${id}\n`);
  });

  it('tags, untags by name and removes by ID', async () => {
    expect((await s.run(['tag', 'mybox', 'other:1'])).code).toBe(0);
    expect((await s.run(['image', 'exists', 'localhost/other:1'])).code).toBe(0);
    const untag = await s.run(['rmi', 'other:1']);
    expect(untag.stdout).toBe('Untagged: localhost/other:1\n');
    expect((await s.run(['image', 'exists', 'other:1'])).code).toBe(1);
    const del = await s.run(['rmi', id]);
    expect(del.code).toBe(0);
    expect(del.stdout).toContain(`Deleted: sha256:${id}`);
    expect((await s.run(['image', 'exists', 'mybox'])).code).toBe(1);
  });

  it('reports unknown images with the name (rmi exit 1, inspect exit 125)', async () => {
    const r = await s.run(['rmi', 'nope']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('image "nope" not found');
    const i = await s.run(['image', 'inspect', 'nope']);
    expect(i.code).toBe(125);
    expect(i.stdout.trim()).toBe('[]');
  });

  it('rejects bad import input without storing anything', async () => {
    const before = (await s.run(['images', '-q'])).stdout;
    const r = await s.run(['import', '/nonexistent/file.tar']);
    expect(r.code).toBe(125);
    expect(r.stderr).toContain('cannot read /nonexistent/file.tar');
    const bad = await s.run(['import', '-', 'broken'], { input: Buffer.from('this is not a tar archive at all'.repeat(40)) });
    expect(bad.code).toBe(125);
    expect((await s.run(['images', '-q'])).stdout).toBe(before);
  });

  it('rmi --all removes every image with all its names and refuses the ones containers use', async () => {
    expect((await s.run(['import', '--change', 'CMD ["sh"]', '-', 'inuse'], { input: tar })).code).toBe(0);
    const inuse = (await s.run(['inspect', '-f', '{{.Id}}', 'inuse'])).stdout.trim();
    expect((await s.run(['create', '--name', 'user', 'inuse'])).code).toBe(0);
    expect((await s.run(['import', '-', 'multi:1'], { input: tar })).code).toBe(0);
    expect((await s.run(['tag', 'multi:1', 'multi:2'])).code).toBe(0);
    expect((await s.run(['rmi', '-a', 'multi:1'])).code).toBe(125);
    expect((await s.run(['rmi'])).code).toBe(125);
    const r = await s.run(['rmi', '--all']);
    expect(r.code).toBe(2); // Podman's code for an image in use
    expect(r.stderr).toMatch(/is in use by container user/);
    expect(r.stdout).toContain('Untagged: localhost/multi:1\nUntagged: localhost/multi:2\n');
    expect((await s.run(['images', '-a', '--no-trunc', '--format', '{{.ID}}'])).stdout).toBe(`${inuse}\n`);
    expect((await s.run(['rm', 'user'])).code).toBe(0);
    expect((await s.run(['rmi', '-a'])).code).toBe(0);
    expect((await s.run(['images', '-a', '-q'])).stdout).toBe('');
  });
});
