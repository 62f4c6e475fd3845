/**
 * The rest of io.podman over a real `selkie system service --varlink` with a private --root: stats
 * of running containers and pods, changes and commit, push (with `more`) and search against the
 * plain registry fixture, exports/imports/save/load through files on the service host and
 * SendFile/ReceiveFile, logs of several containers, mounts, the JSON development calls, image
 * trees, eviction, the errors for what selkie does not support, and Reset.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useFixtures } from '../fixtures/inject.js';
import { busyboxTar, selkieBin } from '../helpers/selkie-cli.js';
import { VarlinkClient } from '../../src/engine/varlink/client.js';
import { isVarlinkError } from '../../src/engine/varlink/varlink-error.js';
import { makePullEnv, type PullEnv } from './registry/pull-helpers.js';

const fx = useFixtures();
const { plain } = fx.registries;

let s: PullEnv;
let base: string;
let sock: string;
let tmp: string;
let service: ChildProcess | undefined;
let c: VarlinkClient;

type P = Record<string, unknown>;

async function varlinkError(p: Promise<unknown>): Promise<{ error: string; parameters: P }> {
  const e = await p.then(() => undefined, (x: unknown) => x);
  if (!isVarlinkError(e)) throw new Error(`expected a varlink error, got ${JSON.stringify(e)}`);
  return { error: e.error, parameters: e.parameters };
}

const idOf = async (name: string) => (await s.sk(['inspect', '--format', '{{.Id}}', name])).stdout.trim();
const tarList = (file: string) => spawnSync('tar', ['-tf', file], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);

/** Read `length` raw bytes from an upgraded connection. */
function readBytes(socket: Duplex, length: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let got = 0;
    const done = () => {
      socket.off('data', onData);
      resolve(Buffer.concat(chunks).subarray(0, length));
    };
    const onData = (d: Buffer) => {
      chunks.push(d);
      got += d.length;
      if (got >= length) done();
    };
    socket.on('data', onData);
    socket.once('close', () => (got >= length ? done() : reject(new Error(`connection closed after ${got} of ${length} bytes`))));
    if (length === 0) done();
  });
}

/** ReceiveFile: the file's bytes from the service host. */
async function receiveFile(file: string, del: boolean): Promise<Buffer> {
  const conn = await VarlinkClient.connect(`unix:${sock}`);
  try {
    const { parameters, socket } = await conn.upgrade('io.podman.ReceiveFile', { path: file, delete: del });
    return await readBytes(socket, parameters.len as number);
  } finally {
    conn.close();
  }
}

beforeAll(async () => {
  s = makePullEnv(`unqualified-search-registries = ["${plain.host}"]\n[[registry]]\nlocation = "${plain.host}"\ninsecure = true\n`);
  base = path.dirname(s.root);
  sock = path.join(base, 'io.podman');
  tmp = path.join(base, 'service-tmp');
  fs.mkdirSync(tmp);
  const imported = await s.sk(['import', '--change', 'CMD ["sh"]', '-', 'localhost/busybox'], { input: (await busyboxTar()) as unknown as string });
  expect(imported.code, imported.stderr).toBe(0);
  const env = { ...process.env, REGISTRY_AUTH_FILE: s.authFile, CONTAINERS_REGISTRIES_CONF: s.registriesConf, XDG_CONFIG_HOME: path.join(base, 'config'), TMPDIR: tmp };
  service = spawn(selkieBin, [...s.flags, 'system', 'service', '--varlink', '--timeout', '0', `unix:${sock}`], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  service.stderr?.on('data', (d: Buffer) => process.stderr.write(`[varlink service] ${d}`));
  for (let i = 0; ; i++) {
    try {
      c = await VarlinkClient.connect(`unix:${sock}`);
      break;
    } catch (e) {
      if (i > 150) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}, 60_000);

afterAll(async () => {
  c?.close();
  if (service && service.exitCode === null && service.signalCode === null) {
    service.kill('SIGKILL');
    await new Promise((r) => service!.once('exit', r));
  }
  await s?.cleanup();
});

describe('io.podman stats', () => {
  it('reports a running container and a pod, NoContainerRunning otherwise', async () => {
    expect((await s.sk(['run', '-d', '--network', 'none', '--name', 'busy', 'busybox', 'sh', '-c', 'while :; do :; done'])).code).toBe(0);
    const id = await idOf('busy');
    const { container: st } = (await c.call('io.podman.GetContainerStats', { name: 'busy' })) as { container: P };
    expect(st).toMatchObject({ id, name: 'busy', pids: 1 });
    expect(st.cpu as number).toBeGreaterThan(20);
    expect(st.mem_usage as number).toBeGreaterThan(0);
    expect(st.mem_limit as number).toBeGreaterThan(st.mem_usage as number);
    expect(Math.abs((st.system_nano as number) / 1e6 - Date.now())).toBeLessThan(60_000);
    const { container: next } = (await c.call('io.podman.GetContainerStatsWithHistory', { previousStats: st })) as { container: P };
    expect(next.id).toBe(id);
    expect(next.system_nano as number).toBeGreaterThan(st.system_nano as number);
    expect(next.cpu_nano as number).toBeGreaterThan(st.cpu_nano as number);
    expect((await s.sk(['rm', '-f', 'busy'])).code).toBe(0);
    expect(await varlinkError(c.call('io.podman.GetContainerStats', { name: 'busy' }))).toMatchObject({ error: 'io.podman.ContainerNotFound', parameters: { id: 'busy' } });

    expect((await s.sk(['create', '--network', 'none', '--name', 'idle', 'busybox', 'true'])).code).toBe(0);
    expect(await varlinkError(c.call('io.podman.GetContainerStats', { name: 'idle' }))).toEqual({ error: 'io.podman.NoContainerRunning', parameters: {} });
    expect((await s.sk(['rm', 'idle'])).code).toBe(0);

    const { pod } = (await c.call('io.podman.CreatePod', { create: { name: 'spod', infra: false } })) as { pod: string };
    expect(await varlinkError(c.call('io.podman.GetPodStats', { name: 'spod' }))).toEqual({ error: 'io.podman.NoContainerRunning', parameters: {} });
    const { container } = (await c.call('io.podman.CreateContainer', { create: { args: ['localhost/busybox', 'sleep', '60'], name: 'spodc', pod: 'spod', network: 'none' } })) as { container: string };
    await c.call('io.podman.StartPod', { name: 'spod' });
    const stats = (await c.call('io.podman.GetPodStats', { name: 'spod' })) as { pod: string; containers: P[] };
    expect(stats.pod).toBe(pod);
    expect(stats.containers).toEqual([expect.objectContaining({ id: container, name: 'spodc', pids: 1 })]);
    await c.call('io.podman.RemovePod', { name: 'spod', force: true });
    expect(await varlinkError(c.call('io.podman.GetPodStats', { name: 'spod' }))).toMatchObject({ error: 'io.podman.PodNotFound', parameters: { name: 'spod' } });
  }, 60_000);
});

describe('io.podman changes, commit and image transfers', () => {
  it('lists the changes after a write and commits them as an image', async () => {
    expect((await s.sk(['run', '--network', 'none', '--name', 'writer', 'busybox', 'sh', '-c', 'echo hi > /added.txt; rm /bin/arch'])).code).toBe(0);
    const { container: ch } = (await c.call('io.podman.ListContainerChanges', { name: 'writer' })) as { container: { changed: string[]; added: string[]; deleted: string[] } };
    expect(ch.added).toContain('/added.txt');
    expect(ch.deleted).toContain('/bin/arch');
    expect(ch.changed).toContain('/bin');
    const { diffs } = (await c.call('io.podman.Diff', { name: 'writer' })) as { diffs: { path: string; changeType: string }[] };
    expect(diffs).toEqual(expect.arrayContaining([{ path: '/added.txt', changeType: 'A' }, { path: '/bin/arch', changeType: 'D' }, { path: '/bin', changeType: 'C' }]));
    expect(await varlinkError(c.call('io.podman.Diff', { name: 'busybox' }))).toMatchObject({ error: 'io.podman.ErrorOccurred', parameters: { reason: expect.stringContaining('busybox is an image') } });
    expect(await varlinkError(c.call('io.podman.ListContainerChanges', { name: 'nothing' }))).toMatchObject({ error: 'io.podman.ErrorOccurred' });

    const r = (await c.call('io.podman.Commit', {
      name: 'writer', image_name: 'localhost/committed:v1', changes: ['CMD ["cat", "/added.txt"]'], author: 'Varlink Tester', message: 'from varlink', pause: false, manifestType: 'docker',
    })) as { reply: { id: string; logs: string[] } };
    expect(r.reply.id).toMatch(/^[0-9a-f]{64}$/);
    const img = JSON.parse((await s.sk(['image', 'inspect', 'localhost/committed:v1'])).stdout)[0];
    expect(img.Id.replace(/^sha256:/, '')).toBe(r.reply.id);
    expect(img).toMatchObject({ Author: 'Varlink Tester', Config: { Cmd: ['cat', '/added.txt'] } });
    const ran = await s.sk(['run', '--rm', '--network', 'none', 'localhost/committed:v1']);
    expect(ran.stdout).toBe('hi\n');
    expect(await varlinkError(c.call('io.podman.Commit', { name: 'writer', manifestType: 'v1' }))).toMatchObject({ error: 'io.podman.ErrorOccurred', parameters: { reason: expect.stringContaining('unrecognized image format "v1"') } });
    expect(await varlinkError(c.call('io.podman.Commit', { name: 'nothing' }))).toMatchObject({ error: 'io.podman.ContainerNotFound', parameters: { id: 'nothing' } });
  }, 60_000);

  it('exports a container to a path on the service host, or to a temporary file fetched with ReceiveFile', async () => {
    const out = path.join(base, 'writer.tar');
    expect(await c.call('io.podman.ExportContainer', { name: 'writer', path: out })).toEqual({ tarfile: out });
    const names = tarList(out);
    expect(names.some((n) => n.replace(/^\.?\//, '') === 'added.txt')).toBe(true);
    expect(names.some((n) => n.replace(/^\.?\//, '') === 'bin/arch')).toBe(false);
    const { tarfile } = (await c.call('io.podman.ExportContainer', { name: 'writer', path: '' })) as { tarfile: string };
    expect(tarfile.startsWith(tmp)).toBe(true);
    const bytes = await receiveFile(tarfile, true);
    expect(bytes.equals(fs.readFileSync(out))).toBe(true);
    expect(fs.existsSync(tarfile)).toBe(false);
    expect(await varlinkError(c.call('io.podman.ReceiveFile', { path: out, delete: false }))).toEqual({
      error: 'io.podman.ErrorOccurred', parameters: { reason: 'client must use upgraded connection to send files' },
    });
    expect(await varlinkError(c.call('io.podman.ExportContainer', { name: 'nothing', path: out }))).toMatchObject({ error: 'io.podman.ContainerNotFound' });
    expect(await varlinkError(c.call('io.podman.ExportContainer', { name: 'writer', path: path.join(base, 'no-such-dir', 'x.tar') }))).toMatchObject({
      error: 'io.podman.ErrorOccurred', parameters: { reason: expect.stringContaining('no-such-dir') },
    });

    // ImportImage takes that tar back as an image (and deletes the source when asked).
    const copy = path.join(base, 'import-me.tar');
    fs.copyFileSync(out, copy);
    const { image } = (await c.call('io.podman.ImportImage', { source: copy, reference: 'localhost/imported:1', message: 'imported over varlink', changes: ['CMD ["cat", "/added.txt"]'], delete: true })) as { image: string };
    expect(image).toMatch(/^[0-9a-f]{64}$/);
    expect(fs.existsSync(copy)).toBe(false);
    expect((await s.sk(['run', '--rm', '--network', 'none', 'localhost/imported:1'])).stdout).toBe('hi\n');
    expect(await varlinkError(c.call('io.podman.ImportImage', { source: path.join(base, 'missing.tar') }))).toMatchObject({ error: 'io.podman.ErrorOccurred' });
  }, 60_000);

  it('exports and saves images to archives, loads them back, and takes uploads with SendFile', async () => {
    const archive = path.join(base, 'committed.tar');
    const { image } = (await c.call('io.podman.ExportImage', { name: 'localhost/committed:v1', destination: `docker-archive:${archive}`, compress: false, tags: [] })) as { image: string };
    const committedId = (await idOf('localhost/committed:v1')).replace(/^sha256:/, '');
    expect(image).toBe(committedId);
    expect(tarList(archive)).toContain('manifest.json');
    expect(await varlinkError(c.call('io.podman.ExportImage', { name: 'nope', destination: `docker-archive:${archive}` }))).toMatchObject({ error: 'io.podman.ImageNotFound', parameters: { id: 'nope' } });

    // ImageSave: the archive in a temporary file named by the reply, fetched with ReceiveFile.
    const replies: { logs: string[]; id: string }[] = [];
    for await (const r of c.callMore('io.podman.ImageSave', { options: { name: 'localhost/committed:v1', format: 'oci-archive' } })) replies.push(r.reply as { logs: string[]; id: string });
    const saved = replies[replies.length - 1]!.id;
    expect(saved.startsWith(tmp)).toBe(true);
    const bytes = await receiveFile(saved, true);
    expect(fs.existsSync(saved)).toBe(false);
    const local = path.join(base, 'saved-oci.tar');
    fs.writeFileSync(local, bytes);
    expect(tarList(local)).toContain('index.json');
    expect(await varlinkError(c.call('io.podman.ImageSave', { options: { name: 'localhost/committed:v1', format: 'oci-dir' } }))).toMatchObject({ error: 'io.podman.ErrorOccurred', parameters: { reason: expect.stringContaining('oci-dir is not supported') } });

    // A remote client's load: SendFile the archive, then LoadImage the file it was stored in.
    expect((await s.sk(['rmi', 'localhost/committed:v1'])).code).toBe(0);
    const data = fs.readFileSync(archive);
    const conn = await VarlinkClient.connect(`unix:${sock}`);
    const { parameters, socket } = await conn.upgrade('io.podman.SendFile', { type: '', length: data.length });
    const handle = parameters.file_handle as string;
    expect(handle.startsWith(tmp)).toBe(true);
    socket.write(data);
    const ack = await readBytes(socket, handle.length + 1);
    conn.close();
    expect(ack.toString()).toBe(`${handle}:`);
    expect(fs.readFileSync(handle).equals(data)).toBe(true);
    const loaded = (await c.call('io.podman.LoadImage', { name: '', inputFile: handle, quiet: false, deleteFile: true })) as { reply: { id: string } };
    expect(loaded.reply.id).toBe('localhost/committed:v1');
    expect(fs.existsSync(handle)).toBe(false);
    expect((await idOf('localhost/committed:v1')).replace(/^sha256:/, '')).toBe(committedId);
    expect(await varlinkError(c.call('io.podman.LoadImage', { inputFile: path.join(base, 'missing.tar') }))).toMatchObject({ error: 'io.podman.ErrorOccurred' });
    expect(await varlinkError(c.call('io.podman.SendFile', { type: '', length: 3 }))).toMatchObject({ error: 'io.podman.ErrorOccurred', parameters: { reason: 'client must use upgraded connection to send files' } });
  }, 60_000);

  it('lists images with filters and draws the image tree', async () => {
    const { images } = (await c.call('io.podman.ListImagesWithFilters', { filters: ['reference=localhost/committed'] })) as { images: { repoTags: string[] }[] };
    expect(images.map((i) => i.repoTags)).toEqual([['localhost/committed:v1']]);
    const labelled = (await c.call('io.podman.ListImagesWithFilters', { filters: ['dangling=false'] })) as { images: unknown[] };
    expect(labelled.images.length).toBeGreaterThanOrEqual(3);
    expect(await varlinkError(c.call('io.podman.ListImagesWithFilters', { filters: ['colour=blue'] }))).toMatchObject({ error: 'io.podman.ErrorOccurred', parameters: { reason: expect.stringContaining('colour') } });

    const committedId = (await idOf('localhost/committed:v1')).replace(/^sha256:/, '');
    const { tree } = (await c.call('io.podman.ImageTree', { name: 'localhost/committed:v1', whatRequires: false })) as { tree: string };
    const lines = tree.split('\n');
    expect(lines.slice(0, 4)).toEqual([`Image ID: ${committedId.slice(0, 12)}`, 'Tags:     [localhost/committed:v1]', expect.stringMatching(/^Size:     [\d.]+[kMG]?B$/), 'Image Layers']);
    expect(lines[4]).toMatch(/^├── {2}ID: [0-9a-f]{12} Size: [\d.]+[kMG]?B Top Layer of: \[localhost\/busybox:latest\]$/);
    expect(lines[5]).toMatch(/^└── {2}ID: [0-9a-f]{12} Size: [\d.]+[kMG]?B Top Layer of: \[localhost\/committed:v1\]$/);
    const { tree: requires } = (await c.call('io.podman.ImageTree', { name: 'busybox', whatRequires: true })) as { tree: string };
    expect(requires).toContain('Top Layer of: [localhost/committed:v1]');
    const map = JSON.parse(((await c.call('io.podman.GetLayersMapWithImageInfo')) as { layerMap: string }).layerMap) as Record<string, { ChildID: string[]; RepoTags: string[] }>;
    expect(Object.values(map).some((l) => l.RepoTags.includes('localhost/committed:v1'))).toBe(true);
    const hierarchy = JSON.parse(((await c.call('io.podman.BuildImageHierarchyMap', { name: 'localhost/committed:v1' })) as { imageInfo: string }).imageInfo);
    expect(hierarchy).toMatchObject({ ID: committedId, Tags: ['localhost/committed:v1'] });
    expect(hierarchy.Layers).toHaveLength(2);
    expect(await varlinkError(c.call('io.podman.ImageTree', { name: 'nope' }))).toMatchObject({ error: 'io.podman.ImageNotFound' });
  }, 30_000);
});

describe('io.podman and the registry fixture', () => {
  it('pushes an image with progress and finds it with SearchImages', async () => {
    const dest = `${plain.host}/varlink/committed:v1`;
    const replies: { logs: string[]; id: string }[] = [];
    for await (const r of c.callMore('io.podman.PushImage', { name: 'localhost/committed:v1', tag: dest, compress: false, format: 'oci', removeSignatures: false, signBy: '' })) {
      replies.push(r.reply as { logs: string[]; id: string });
    }
    const lines = replies.flatMap((r) => r.logs);
    expect(lines[0]).toBe('Getting image source signatures\n');
    expect(lines.filter((l) => l.startsWith('Copying blob sha256:'))).toHaveLength(2);
    expect(lines).toContain('Writing manifest to image destination\n');
    expect(replies.length).toBeGreaterThan(3);
    const digest = replies[replies.length - 1]!.id;
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    const res = await fetch(`http://${plain.host}/v2/varlink/committed/manifests/v1`, { method: 'HEAD', headers: { Accept: 'application/vnd.oci.image.manifest.v1+json' } });
    expect(res.headers.get('docker-content-digest')).toBe(digest);

    expect(await varlinkError(c.call('io.podman.PushImage', { name: 'nope', tag: dest }))).toMatchObject({ error: 'io.podman.ImageNotFound', parameters: { id: 'nope' } });
    expect(await varlinkError(c.call('io.podman.PushImage', { name: 'localhost/committed:v1', tag: dest, format: 'v2s1' }))).toMatchObject({ error: 'io.podman.ErrorOccurred', parameters: { reason: expect.stringContaining('v2s1') } });

    const { results } = (await c.call('io.podman.SearchImages', { query: 'varlink', filter: {} })) as { results: P[] };
    expect(results).toContainEqual({ description: '', is_official: false, is_automated: false, registry: plain.host, name: `${plain.host}/varlink/committed`, star_count: 0 });
    const limited = (await c.call('io.podman.SearchImages', { query: 'a', limit: 1, filter: {} })) as { results: unknown[] };
    expect(limited.results).toHaveLength(1);
  }, 60_000);
});

describe('io.podman container context, logs and mounts', () => {
  it('resolves contexts, merges the logs of several containers and lists mounts', async () => {
    expect((await s.sk(['run', '--network', 'none', '--name', 'log1', 'busybox', 'sh', '-c', 'echo one; echo two >&2'])).code).toBe(0);
    expect((await s.sk(['run', '--network', 'none', '--name', 'log2', 'busybox', 'sh', '-c', 'printf three'])).code).toBe(0);
    const [id1, id2, writer] = await Promise.all([idOf('log1'), idOf('log2'), idOf('writer')]);
    expect(await c.call('io.podman.GetContainersByContext', { all: false, latest: true, args: [] })).toEqual({ containers: [id2] });
    expect(((await c.call('io.podman.GetContainersByContext', { all: true })) as { containers: string[] }).containers.sort()).toEqual([id1, id2, writer].sort());
    expect(await c.call('io.podman.GetContainersByContext', { args: ['log1', id2.slice(0, 12)] })).toEqual({ containers: [id1, id2] });
    expect(await varlinkError(c.call('io.podman.GetContainersByContext', { args: ['log1', 'nope'] }))).toMatchObject({ error: 'io.podman.ContainerNotFound', parameters: { id: 'nope' } });

    const got: { device: string; parseLogType: string; msg: string; cid: string; time: string }[] = [];
    for await (const r of c.callMore('io.podman.GetContainersLogs', { names: ['log1', 'log2'], follow: false, latest: false, since: '', tail: 0, timestamps: false })) {
      got.push(r.log as (typeof got)[number]);
    }
    expect(got.pop()).toEqual({ device: '', parseLogType: '', time: '', msg: '', cid: '' });
    expect(got.map(({ device, parseLogType, msg, cid }) => ({ device, parseLogType, msg, cid }))).toEqual(
      expect.arrayContaining([
        { device: 'stdout', parseLogType: 'F', msg: 'one', cid: id1 },
        { device: 'stderr', parseLogType: 'F', msg: 'two', cid: id1 },
        { device: 'stdout', parseLogType: 'P', msg: 'three', cid: id2 },
      ]),
    );
    expect(got).toHaveLength(3);
    expect(got[0]!.time).toMatch(/^\d{4}-\d\d-\d\dT/);
    const tailed: P[] = [];
    for await (const r of c.callMore('io.podman.GetContainersLogs', { names: ['log1'], tail: 1 })) tailed.push(r.log as P);
    expect(tailed.map((l) => l.msg)).toEqual(['two', '']);
    expect(await varlinkError(c.call('io.podman.GetContainersLogs', { names: ['log1'] }))).toEqual({ error: 'org.varlink.service.ExpectedMore', parameters: {} });
    // follow: lines as they are written, and the stream ends when the container exits.
    expect((await s.sk(['run', '-d', '--network', 'none', '--name', 'late', 'busybox', 'sh', '-c', 'echo early; sleep 1.5; echo late'])).code).toBe(0);
    const followed: string[] = [];
    const started = Date.now();
    for await (const r of c.callMore('io.podman.GetContainersLogs', { names: ['late'], follow: true })) followed.push((r.log as P).msg as string);
    expect(followed).toEqual(['early', 'late', '']);
    expect(Date.now() - started).toBeGreaterThan(700);
    expect((await s.sk(['rm', 'late'])).code).toBe(0);

    const { path: mounted } = (await c.call('io.podman.MountContainer', { name: 'log1' })) as { path: string };
    expect(((await c.call('io.podman.ListContainerMounts')) as { mounts: Record<string, string> }).mounts).toEqual({ [id1]: mounted });
    await c.call('io.podman.UnmountContainer', { name: 'log1', force: false });
    expect(await c.call('io.podman.ListContainerMounts')).toEqual({ mounts: {} });
  }, 60_000);

  it('answers the JSON development calls from inspect data', async () => {
    const id = await idOf('log1');
    expect(JSON.parse(((await c.call('io.podman.ContainerInspectData', { name: 'log1', size: true })) as { config: string }).config)).toMatchObject({ Id: id, Name: expect.stringMatching(/log1$/) });
    expect(JSON.parse(((await c.call('io.podman.ContainerStateData', { name: 'log1' })) as { config: string }).config)).toMatchObject({ state: 'exited', exitCode: 0 });
    expect(JSON.parse(((await c.call('io.podman.ContainerConfig', { name: 'log1' })) as { config: string }).config)).toMatchObject({ id, name: 'log1', command: ['sh', '-c', 'echo one; echo two >&2'] });
    const { pod } = (await c.call('io.podman.CreatePod', { create: { name: 'dpod' } })) as { pod: string };
    expect(JSON.parse(((await c.call('io.podman.PodStateData', { name: 'dpod' })) as { config: string }).config)).toMatchObject({ Id: pod, Name: 'dpod' });
    await c.call('io.podman.RemovePod', { name: 'dpod', force: true });
    expect(await varlinkError(c.call('io.podman.PodStateData', { name: 'dpod' }))).toMatchObject({ error: 'io.podman.ErrorOccurred' });
    expect(await varlinkError(c.call('io.podman.ContainerConfig', { name: 'nope' }))).toMatchObject({ error: 'io.podman.ContainerNotFound', parameters: { id: 'nope' } });
    expect(await varlinkError(c.call('io.podman.Spec', { name: 'log1' }))).toMatchObject({ error: 'io.podman.ErrorOccurred', parameters: { reason: expect.stringContaining('ContainerConfig') } });
  });

  it('evicts containers, and answers what selkie cannot do with ErrorOccurred', async () => {
    expect((await s.sk(['run', '-d', '--network', 'none', '--name', 'evictme', 'busybox', 'sleep', '60'])).code).toBe(0);
    const id = await idOf('evictme');
    expect(await varlinkError(c.call('io.podman.InitContainer', { name: 'evictme' }))).toMatchObject({ error: 'io.podman.InvalidState', parameters: { id } });
    expect(await varlinkError(c.call('io.podman.ContainerCheckpoint', { name: 'evictme', keep: false, leaveRunning: false, tcpEstablished: false }))).toMatchObject({
      error: 'io.podman.ErrorOccurred', parameters: { reason: expect.stringContaining('checkpoint/restore (it needs CRIU)') },
    });
    expect(await varlinkError(c.call('io.podman.HealthCheckRun', { nameOrID: 'evictme' }))).toMatchObject({ error: 'io.podman.ErrorOccurred', parameters: { reason: expect.stringContaining('has no defined healthcheck') } });
    expect(await varlinkError(c.call('io.podman.GetAttachSockets', { name: 'evictme' }))).toMatchObject({ error: 'io.podman.ErrorOccurred', parameters: { reason: expect.stringContaining('use Attach') } });
    expect(await c.call('io.podman.EvictContainer', { name: 'evictme', removeVolumes: true })).toEqual({ container: id });
    expect((await s.sk(['container', 'exists', 'evictme'])).code).toBe(1);
    expect(await varlinkError(c.call('io.podman.EvictContainer', { name: 'evictme' }))).toMatchObject({ error: 'io.podman.ErrorOccurred' });

    expect(await varlinkError(c.call('io.podman.InitContainer', { name: 'log1' }))).toMatchObject({ error: 'io.podman.ErrorOccurred', parameters: { reason: expect.stringContaining('use StartContainer') } });
    expect(await varlinkError(c.call('io.podman.ContainerRestore', { name: 'nope' }))).toMatchObject({ error: 'io.podman.ContainerNotFound', parameters: { id: 'nope' } });
    expect(await varlinkError(c.call('io.podman.BuildImage', { build: { contextDir: '/tmp/ctx.tar', dockerfiles: ['Dockerfile'], output: 'built' } }))).toMatchObject({
      error: 'io.podman.ErrorOccurred', parameters: { reason: expect.stringContaining('no Dockerfile builder') },
    });
    expect(await varlinkError(c.call('io.podman.ContainerRunlabel', { runlabel: { image: 'busybox', label: 'INSTALL' } }))).toEqual({
      error: 'io.podman.ErrorOccurred', parameters: { reason: 'busybox does not contain the label INSTALL' },
    });
  }, 30_000);

  it('Reset removes every container, pod, volume and image', async () => {
    await c.call('io.podman.VolumeCreate', { options: { volumeName: 'resetvol' } });
    await c.call('io.podman.CreatePod', { create: { name: 'resetpod' } });
    expect((await s.sk(['run', '-d', '--network', 'none', '--name', 'resetme', 'busybox', 'sleep', '60'])).code).toBe(0);
    expect(await c.call('io.podman.Reset')).toEqual({});
    expect(await c.call('io.podman.ListContainers')).toEqual({ containers: [] });
    expect(await c.call('io.podman.ListImages')).toEqual({ images: [] });
    expect(await c.call('io.podman.ListPods')).toEqual({ pods: [] });
    expect(await c.call('io.podman.GetVolumes', { args: [], all: true })).toEqual({ volumes: [] });
    // The service goes on serving.
    expect(await c.call('io.podman.ImageExists', { name: 'busybox' })).toEqual({ exists: 1 });
  }, 60_000);
});
