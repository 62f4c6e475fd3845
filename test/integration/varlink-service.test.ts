/**
 * `selkie system service --varlink` against a private --root: io.podman calls from the client and
 * from a raw socket on real containers and images, PullImage streaming from a local registry,
 * idle exit, and systemd socket activation (systemd-socket-activate, and an inherited fd 3).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { busyboxTar, selkieBin } from '../helpers/selkie-cli.js';
import { VarlinkClient } from '../../src/engine/varlink/client.js';
import { encodeMessage, MessageDecoder } from '../../src/engine/varlink/codec.js';
import { parseInterface } from '../../src/engine/varlink/idl-parser.js';
import { encodeVirtFrame, VirtDest, VirtFrameDecoder } from '../../src/engine/varlink/podman/virt-stream.js';
import { isVarlinkError } from '../../src/engine/varlink/varlink-error.js';
import { startFakeRegistry, type FakeRegistry } from './registry/fake-registry.js';
import { makePullEnv, type PullEnv } from './registry/pull-helpers.js';

let s: PullEnv;
let reg: FakeRegistry;
let base: string;
let sock: string;
let service: ChildProcess;
const children: ChildProcess[] = [];

function serviceEnv(): NodeJS.ProcessEnv {
  return { ...process.env, REGISTRY_AUTH_FILE: s.authFile, CONTAINERS_REGISTRIES_CONF: s.registriesConf, XDG_CONFIG_HOME: path.join(base, 'config') };
}

function spawnService(args: string[], opts: { env?: NodeJS.ProcessEnv; stdio?: (string | number)[]; command?: string[] } = {}): ChildProcess {
  const argv = [...(opts.command ?? []), selkieBin, ...s.flags, 'system', 'service', '--varlink', ...args];
  const child = spawn(argv[0]!, argv.slice(1), { env: opts.env ?? serviceEnv(), stdio: (opts.stdio ?? ['ignore', 'pipe', 'pipe']) as never });
  child.stderr?.on('data', (d: Buffer) => process.stderr.write(`[varlink service] ${d}`));
  children.push(child);
  return child;
}

async function connectWhenUp(address: string, timeoutMs = 15_000): Promise<VarlinkClient> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await VarlinkClient.connect(address);
    } catch (e) {
      if (Date.now() > until) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

const exited = (child: ChildProcess, timeoutMs: number) =>
  new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) return resolve(child.exitCode);
    const t = setTimeout(() => resolve(null), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(t);
      resolve(code);
    });
  });

async function varlinkError(p: Promise<unknown>): Promise<{ error: string; parameters: Record<string, unknown> }> {
  const e = await p.then(() => undefined, (x: unknown) => x);
  if (!isVarlinkError(e)) throw new Error(`expected a varlink error, got ${String(e)}`);
  return { error: e.error, parameters: e.parameters };
}

beforeAll(async () => {
  reg = await startFakeRegistry();
  s = makePullEnv(`[[registry]]\nlocation = "${reg.host}"\ninsecure = true\n`);
  base = path.dirname(s.root);
  sock = path.join(base, 'io.podman');
  const imported = await s.sk(['import', '--change', 'CMD ["sh"]', '-', 'localhost/busybox'], { input: (await busyboxTar()) as unknown as string });
  expect(imported.code, imported.stderr).toBe(0);
  service = spawnService(['--timeout', '0', `unix:${sock}`]);
  (await connectWhenUp(`unix:${sock}`)).close();
}, 60_000);

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await Promise.all(children.map((c) => exited(c, 5000)));
  await s?.cleanup();
  await reg?.close();
});

describe('varlink service (io.podman)', () => {
  it('answers GetVersion from the client and from a raw socket', async () => {
    const c = await VarlinkClient.connect(`unix:${sock}`);
    const v = await c.call('io.podman.GetVersion');
    c.close();
    const cliVersion = (await s.sk(['version', '--format', '{{.Client.Version}}'])).stdout.trim();
    expect(v).toMatchObject({ version: cliVersion, remote_api_version: 1, os_arch: expect.stringMatching(/^linux\//) });
    expect(v.built).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    const raw = net.connect(sock);
    const decoder = new MessageDecoder();
    const replies: Record<string, unknown>[] = [];
    await new Promise<void>((resolve) => {
      raw.on('data', (d) => {
        decoder.push(d);
        for (let m = decoder.next(); m; m = decoder.next()) replies.push(m);
        if (replies.length === 2) resolve();
      });
      // Two pipelined calls in one write, the second to a method that does not exist.
      raw.write(Buffer.concat([encodeMessage({ method: 'io.podman.GetVersion' }), encodeMessage({ method: 'io.podman.NoSuchMethod' })]));
    });
    raw.destroy();
    expect(replies[0]).toEqual({ parameters: v });
    expect(replies[1]).toEqual({ error: 'org.varlink.service.MethodNotFound', parameters: { method: 'io.podman.NoSuchMethod' } });
  });

  it('serves the complete io.podman definition and GetInfo', async () => {
    const c = await VarlinkClient.connect(`unix:${sock}`);
    expect((await c.call('org.varlink.service.GetInfo')).interfaces).toEqual(['org.varlink.service', 'io.podman', 'io.selkie']);
    const { description } = (await c.call('org.varlink.service.GetInterfaceDescription', { interface: 'io.podman' })) as { description: string };
    expect(parseInterface(description).methods.size).toBe(97);
    const { info } = (await c.call('io.podman.GetInfo')) as { info: { store: { graph_root: string; images: number }; host: { cpus: number } } };
    expect(info.store.graph_root).toBe(s.root);
    expect(info.store.images).toBe(1);
    expect(info.host.cpus).toBeGreaterThan(0);
    c.close();
  });

  it('lists and gets images as the CLI sees them', async () => {
    const c = await VarlinkClient.connect(`unix:${sock}`);
    const id = (await s.sk(['images', '-q', '--no-trunc', 'localhost/busybox'])).stdout.trim().replace(/^sha256:/, '');
    const { images } = (await c.call('io.podman.ListImages')) as { images: { id: string; repoTags: string[]; created: string; size: number }[] };
    const busybox = images.find((i) => i.repoTags.includes('localhost/busybox:latest'))!;
    expect(busybox.id.replace(/^sha256:/, '')).toBe(id);
    expect(busybox.size).toBeGreaterThan(0);
    expect((await c.call('io.podman.GetImage', { id: 'localhost/busybox' })).image).toEqual(busybox);
    expect(JSON.parse((await c.call('io.podman.InspectImage', { name: 'busybox' })).image as string).Id).toBe(busybox.id);
    expect(await varlinkError(c.call('io.podman.GetImage', { id: 'no-such-image' }))).toMatchObject({ error: 'io.podman.ImageNotFound', parameters: { id: 'no-such-image' } });
    expect(await c.call('io.podman.TagImage', { name: 'busybox', tagged: 'localhost/tagged:v1' })).toEqual({ image: busybox.id });
    expect((await s.sk(['images', '--format', '{{.Repository}}:{{.Tag}}'])).stdout).toContain('localhost/tagged:v1');
    expect(await c.call('io.podman.ImageExists', { name: 'localhost/tagged:v1' })).toEqual({ exists: 0 });
    const { history } = (await c.call('io.podman.HistoryImage', { name: 'localhost/tagged:v1' })) as { history: { id: string; tags: string[] }[] };
    expect(history[0]!.tags).toEqual(expect.arrayContaining(['localhost/tagged:v1', 'localhost/busybox:latest']));
    expect(await c.call('io.podman.UntagImage', { name: busybox.id, tag: 'localhost/tagged:v1' })).toEqual({ image: busybox.id });
    expect(await c.call('io.podman.ImageExists', { name: 'localhost/tagged:v1' })).toEqual({ exists: 1 });
    await c.call('io.podman.TagImage', { name: 'busybox', tagged: 'localhost/tagged:v1' });
    expect(await c.call('io.podman.RemoveImage', { name: 'localhost/tagged:v1', force: false })).toEqual({ image: busybox.id });
    expect(await c.call('io.podman.ImageExists', { name: 'localhost/tagged:v1' })).toEqual({ exists: 1 });
    c.close();
  });

  it('lists, inspects and drives a real container', async () => {
    // --network none: the restart below comes right after the exit (see the report on netns release).
    expect((await s.sk(['run', '-d', '--network', 'none', '--name', 'web', 'busybox', 'sh', '-c', 'echo started; exec sleep 999'])).code).toBe(0);
    const id = (await s.sk(['inspect', '--format', '{{.Id}}', 'web'])).stdout.trim();
    const c = await VarlinkClient.connect(`unix:${sock}`);
    const { containers } = (await c.call('io.podman.ListContainers')) as { containers: { id: string; names: string; containerrunning: boolean; namespaces: { pid: string; net: string } }[] };
    const web = containers.find((x) => x.id === id)!;
    expect(web).toMatchObject({ names: 'web', containerrunning: true });
    expect(web.namespaces.pid).toBe((await s.sk(['inspect', '--format', '{{.State.Pid}}', 'web'])).stdout.trim());
    expect(web.namespaces.net).toMatch(/^\d+$/);
    expect((await c.call('io.podman.GetContainer', { id: 'web' })).container).toMatchObject({ id, names: 'web' });
    const ps = (await c.call('io.podman.Ps', { opts: { all: true } })).containers as Record<string, unknown>[];
    expect(ps.find((x) => x.id === id)).toMatchObject({
      names: 'web', state: 'running', command: 'sh -c echo started; exec sleep 999', image: 'busybox',
      created: expect.stringMatching(/ ago$/), status: expect.stringMatching(/^Up /), net: web.namespaces.net,
    });
    const inspect = JSON.parse((await c.call('io.podman.InspectContainer', { name: 'web' })).container as string);
    expect(inspect).toMatchObject({ Id: id, State: { Running: true } });

    let procs: string[] = [];
    for (let i = 0; i < 50 && !procs.some((l) => l.includes('sleep')); i++) {
      procs = (await c.call('io.podman.ListContainerProcesses', { name: 'web', opts: [] })).container as string[];
      if (!procs.some((l) => l.includes('sleep'))) await new Promise((r) => setTimeout(r, 100));
    }
    expect(procs[0]!.split('\t')).toEqual(['USER', 'PID', 'PPID', '%CPU', 'ELAPSED', 'TTY', 'TIME', 'COMMAND']);
    expect(procs.some((l) => l.split('\t')[7] === 'sleep')).toBe(true);
    const top = (await c.call('io.podman.Top', { nameOrID: id, descriptors: ['pid', 'args'] })).top as string[];
    expect(top).toEqual(['PID\tCOMMAND', '1\tsleep 999']);

    const logs = (await c.call('io.podman.GetContainerLogs', { name: 'web' })).container as string[];
    expect(logs).toEqual([expect.stringMatching(/^\S+ stdout F started\n$/)]);

    const security = (await c.call('io.selkie.GetContainerSecurity', { name: 'web' })).security as Record<string, unknown>;
    expect(security).toMatchObject({ id, name: 'web', privileged: false, seccompProfile: 'default' });
    expect(security.effectiveCapabilities).toContain('CAP_CHOWN');

    // ExecContainer upgrades the connection to Podman's framed stream: stdin in, stdout/stderr/exit code out.
    const exec = await VarlinkClient.connect(`unix:${sock}`);
    const { socket: stream } = await exec.upgrade('io.podman.ExecContainer', { opts: { name: 'web', cmd: ['sh', '-c', 'read x; echo out:$x; echo err >&2; exit 3'] } });
    const frames = new VirtFrameDecoder();
    const got = { out: '', err: '', exit: -1 };
    const quit = new Promise<void>((resolve) => {
      stream.on('data', (d: Buffer) => {
        for (const f of frames.push(d)) {
          if (f.dest === VirtDest.Stdout) got.out += f.data.toString();
          if (f.dest === VirtDest.Stderr) got.err += f.data.toString();
          if (f.dest === VirtDest.Quit) {
            got.exit = f.data.readUInt32BE(0);
            resolve();
          }
        }
      });
    });
    stream.write(encodeVirtFrame(VirtDest.Stdin, 'hello\n'));
    await quit;
    exec.close();
    expect(got).toEqual({ out: 'out:hello\n', err: 'err\n', exit: 3 });
    expect(await varlinkError(c.call('io.podman.ExecContainer', { opts: { name: 'web', cmd: ['true'] } }))).toEqual({
      error: 'io.podman.ErrorOccurred', parameters: { reason: 'client must use upgraded connection to exec' },
    });

    expect(await c.call('io.podman.PauseContainer', { name: 'web' })).toEqual({ container: id });
    expect((await s.sk(['inspect', '--format', '{{.State.Status}}', 'web'])).stdout.trim()).toBe('paused');
    expect(await c.call('io.podman.UnpauseContainer', { name: 'web' })).toEqual({ container: id });
    expect(await c.call('io.podman.KillContainer', { name: 'web', signal: 9 })).toEqual({ container: id });
    expect(await c.call('io.podman.WaitContainer', { name: 'web', interval: 100 })).toEqual({ exitcode: 137 });
    expect(await c.call('io.podman.StartContainer', { name: 'web' })).toEqual({ container: id });
    expect(await c.call('io.podman.RestartContainer', { name: 'web', timeout: 1 })).toEqual({ container: id });
    expect((await s.sk(['inspect', '--format', '{{.State.Status}}', 'web'])).stdout.trim()).toBe('running');
    expect(await c.call('io.podman.StopContainer', { name: 'web', timeout: 1 })).toEqual({ container: id });
    const { path: mounted } = (await c.call('io.podman.MountContainer', { name: 'web' })) as { path: string };
    expect(fs.existsSync(path.join(mounted, 'bin', 'busybox'))).toBe(true);
    expect(await c.call('io.podman.UnmountContainer', { name: 'web', force: false })).toEqual({});
    expect(await c.call('io.podman.DeleteStoppedContainers')).toEqual({ containers: [id] });
    expect((await s.sk(['run', '-d', '--network', 'none', '--name', 'forced', 'busybox', 'sleep', '999'])).code).toBe(0);
    const forcedId = (await s.sk(['inspect', '--format', '{{.Id}}', 'forced'])).stdout.trim();
    expect(await varlinkError(c.call('io.podman.RemoveContainer', { name: 'forced' }))).toMatchObject({ error: 'io.podman.InvalidState', parameters: { id: 'forced' } });
    expect(await c.call('io.podman.RemoveContainer', { name: 'forced', force: true, removeVolumes: false })).toEqual({ container: forcedId });
    expect((await s.sk(['ps', '-a', '-q'])).stdout.trim()).toBe('');
    expect(await varlinkError(c.call('io.podman.InspectContainer', { name: 'web' }))).toMatchObject({ error: 'io.podman.ContainerNotFound', parameters: { id: 'web' } });
    c.close();
  }, 60_000);

  it('starts a container attached over an upgraded connection (Attach with start)', async () => {
    expect((await s.sk(['create', '--network', 'none', '--name', 'att', 'busybox', 'sh', '-c', 'echo attached; echo oops >&2; exit 4'])).code).toBe(0);
    const c = await VarlinkClient.connect(`unix:${sock}`);
    expect(await varlinkError(c.call('io.podman.Attach', { name: 'att', start: false }))).toMatchObject({ error: 'io.podman.ErrorOccurred' });
    const { socket: stream } = await c.upgrade('io.podman.Attach', { name: 'att', detachKeys: '', start: true });
    const frames = new VirtFrameDecoder();
    const got = { out: '', err: '', exit: -1 };
    await new Promise<void>((resolve) => {
      stream.on('data', (d: Buffer) => {
        for (const f of frames.push(d)) {
          if (f.dest === VirtDest.Stdout) got.out += f.data.toString();
          if (f.dest === VirtDest.Stderr) got.err += f.data.toString();
          if (f.dest === VirtDest.Quit) {
            got.exit = f.data.readUInt32BE(0);
            resolve();
          }
        }
      });
    });
    c.close();
    expect(got).toEqual({ out: 'attached\n', err: 'oops\n', exit: 4 });
    expect((await s.sk(['rm', 'att'])).code).toBe(0);
  }, 30_000);

  it('follows a container log with more until the container exits', async () => {
    expect((await s.sk(['run', '-d', '--name', 'talker', 'busybox', 'sh', '-c', 'for i in 1 2 3; do echo line $i; sleep 0.3; done'])).code).toBe(0);
    const c = await VarlinkClient.connect(`unix:${sock}`);
    const got: string[] = [];
    for await (const r of c.callMore('io.podman.GetContainerLogs', { name: 'talker' })) got.push(...(r.container as string[]));
    expect(got.map((l) => l.replace(/^\S+ /, ''))).toEqual(['stdout F line 1\n', 'stdout F line 2\n', 'stdout F line 3\n']);
    c.close();
  }, 30_000);

  it('pulls an image, streaming progress with more', async () => {
    const c = await VarlinkClient.connect(`unix:${sock}`);
    const replies: { logs: string[]; id: string }[] = [];
    for await (const r of c.callMore('io.podman.PullImage', { name: `${reg.host}/good:latest` })) replies.push((r as { reply: { logs: string[]; id: string } }).reply);
    const last = replies[replies.length - 1]!;
    expect(last.id).toMatch(/^[0-9a-f]{64}$/);
    const lines = replies.flatMap((r) => r.logs);
    expect(lines[0]).toBe(`Trying to pull ${reg.host}/good:latest...\n`);
    expect(lines).toContain('Writing manifest to image destination\n');
    expect(lines.some((l) => l.startsWith('Copying blob sha256:'))).toBe(true);
    expect(replies.length).toBeGreaterThan(2);
    expect((await s.sk(['images', '-q', '--no-trunc'])).stdout).toContain(last.id);
    // Without more: one reply with all lines.
    const once = (await c.call('io.podman.PullImage', { name: `${reg.host}/good:latest` })) as { reply: { logs: string[]; id: string } };
    expect(once.reply.id).toBe(last.id);
    expect(once.reply.logs[0]).toBe(`Trying to pull ${reg.host}/good:latest...\n`);
    expect(await varlinkError(c.call('io.podman.PullImage', { name: 'bad reference!!' }))).toMatchObject({ error: 'io.podman.ErrorOccurred' });
    c.close();
  }, 60_000);

  it('answers wrong types and unbuilt methods with the protocol errors', async () => {
    const c = await VarlinkClient.connect(`unix:${sock}`);
    expect(await varlinkError(c.call('io.podman.GetContainer', { id: 42 }))).toEqual({ error: 'org.varlink.service.InvalidParameter', parameters: { parameter: 'id' } });
    expect(await varlinkError(c.call('io.podman.StopContainer', { name: 'x', timeout: 'soon' }))).toEqual({ error: 'org.varlink.service.InvalidParameter', parameters: { parameter: 'timeout' } });
    expect(await varlinkError(c.call('io.podman.PullImage', { name: 'x', creds: { username: 1 } }))).toEqual({ error: 'org.varlink.service.InvalidParameter', parameters: { parameter: 'creds.username' } });
    expect(await varlinkError(c.call('io.podman.Ps', { opts: { all: 'yes' } }))).toEqual({ error: 'org.varlink.service.InvalidParameter', parameters: { parameter: 'opts.all' } });
    // Every io.podman method has a handler: what selkie lacks answers Podman's own errors (varlink-podman-more.test.ts).
    expect(await varlinkError(c.call('io.podman.ContainerCheckpoint', { name: 'p' }))).toMatchObject({ error: 'io.podman.ContainerNotFound', parameters: { id: 'p' } });
    expect(await varlinkError(c.call('io.podman.CreatePod', { create: { name: 7 } }))).toEqual({ error: 'org.varlink.service.InvalidParameter', parameters: { parameter: 'create.name' } });
    expect(await varlinkError(c.call('io.selkie.NoSuchMethod'))).toEqual({ error: 'org.varlink.service.MethodNotFound', parameters: { method: 'io.selkie.NoSuchMethod' } });
    expect(await varlinkError(c.call('io.selkie.ListContainers', { options: [] }))).toEqual({ error: 'org.varlink.service.InvalidParameter', parameters: { parameter: 'options' } });
    expect(await varlinkError(c.call('io.selkie.Events', { options: {} }))).toEqual({ error: 'org.varlink.service.ExpectedMore', parameters: {} });
    expect(await varlinkError(c.call('io.nothing.Call'))).toEqual({ error: 'org.varlink.service.InterfaceNotFound', parameters: { interface: 'io.nothing' } });
    // Lenient: a missing parameter is its zero value (an empty name is not a container).
    expect(await varlinkError(c.call('io.podman.GetContainer', {}))).toMatchObject({ error: 'io.podman.ContainerNotFound', parameters: { id: '' } });
    c.close();
  });

  it('drives pods, volumes, events and kube through io.podman', async () => {
    const c = await VarlinkClient.connect(`unix:${sock}`);
    const events = c.callMore('io.podman.GetEvents', { filter: ['type=pod'], since: '', until: '' });
    const c2 = await VarlinkClient.connect(`unix:${sock}`);
    const { pod } = (await c2.call('io.podman.CreatePod', { create: { name: 'vpod', infra: false, labels: { k: 'v' } } })) as { pod: string };
    expect(pod).toMatch(/^[0-9a-f]{64}$/);
    const { container } = (await c2.call('io.podman.CreateContainer', { create: { args: ['localhost/busybox', 'sleep', '60'], name: 'vpodc', pod: 'vpod', network: 'none' } })) as { container: string };
    expect((await c2.call('io.podman.StartPod', { name: 'vpod' })).pod).toBe(pod);
    const got = (await c2.call('io.podman.GetPod', { name: 'vpod' })) as { pod: { name: string; status: string; labels: object; containersinfo: { id: string }[] } };
    expect(got.pod).toMatchObject({ name: 'vpod', status: 'Running', labels: { k: 'v' }, containersinfo: [{ id: container }] });
    const top = (await c2.call('io.podman.TopPod', { pod: 'vpod', descriptors: ['args'] })) as { stats: string[] };
    expect(top.stats).toEqual(['COMMAND', 'sleep 60']);
    expect(JSON.parse((await c2.call('io.podman.InspectPod', { name: 'vpod' })).pod as string)).toMatchObject({ Id: pod, Name: 'vpod' });
    expect((await c2.call('io.podman.GenerateKube', { name: 'vpod', service: false })).pod).toMatchObject({ pod: expect.stringContaining('kind: Pod') });
    expect((await c2.call('io.podman.StopPod', { name: 'vpod', timeout: 1 })).pod).toBe(pod);
    expect((await c2.call('io.podman.RemovePod', { name: 'vpod', force: true })).pod).toBe(pod);
    expect(await varlinkError(c2.call('io.podman.GetPod', { name: 'vpod' }))).toMatchObject({ error: 'io.podman.PodNotFound', parameters: { name: 'vpod' } });

    expect(await c2.call('io.podman.VolumeCreate', { options: { volumeName: 'vvol', labels: { a: 'b' } } })).toEqual({ volumeName: 'vvol' });
    expect(await c2.call('io.podman.GetVolumes', { args: ['vvol'] })).toMatchObject({ volumes: [{ name: 'vvol', labels: { a: 'b' }, driver: 'local' }] });
    expect(await c2.call('io.podman.VolumeRemove', { options: { volumes: ['vvol', 'nope'] } })).toMatchObject({ successes: ['vvol'], failures: { nope: expect.stringContaining('nope') } });

    // GetEvents with more followed the pod's life as it happened.
    const seen: string[] = [];
    for await (const r of events) {
      seen.push((r.events as { status: string }).status);
      if (seen.includes('remove')) break;
    }
    expect(seen).toEqual(expect.arrayContaining(['create', 'start', 'stop', 'remove']));
    c.close();
    // The service goes on after the streaming client left mid-stream.
    expect(await c2.call('io.podman.GetVersion')).toMatchObject({ version: expect.any(String) });
    c2.close();
  }, 60_000);

  it('prints replies with the varlink debugging commands', async () => {
    const info = await s.sk(['varlink', 'info', `unix:${sock}`]);
    expect(info.stdout).toContain('Interfaces:\n  org.varlink.service\n  io.podman\n  io.selkie\n');
    const help = await s.sk(['varlink', 'help', `unix:${sock}/io.selkie`]);
    expect(parseInterface(help.stdout).methods.has('GetContainerSecurity')).toBe(true);
    const noIface = await s.sk(['varlink', 'help', `unix:${sock}/io.nothing`]);
    expect(noIface.stderr).toContain('org.varlink.service.InterfaceNotFound: interface=io.nothing');
    const call = await s.sk(['varlink', 'call', `unix:${sock}/io.podman.ImageExists`, '{"name": "busybox"}']);
    expect(JSON.parse(call.stdout)).toEqual({ exists: 0 });
    const usage = await s.sk(['system', 'service', `unix:${base}/never.sock`]);
    expect(usage.code).toBe(125);
    expect(usage.stderr).toContain('selkie system service serves the varlink API only');
    expect(fs.existsSync(`${base}/never.sock`)).toBe(false);
    const noJson = await s.sk(['varlink', 'call', `unix:${sock}/io.podman.GetImage`, '{id:']);
    expect(noJson.code).toBe(125);
    expect(noJson.stderr).toContain('the parameters are not valid JSON');
    const bad = await s.sk(['varlink', 'call', `unix:${sock}/io.podman.GetImage`, '{"id": "nope"}']);
    expect(bad.code).toBe(125);
    expect(bad.stderr).toContain('io.podman.ImageNotFound: id=nope');
  });
});

describe('varlink service lifetime', () => {
  it('exits after --timeout seconds without clients and removes its socket', async () => {
    const p = path.join(base, 'idle.sock');
    const child = spawnService(['--timeout', '1', `unix:${p}`]);
    const c = await connectWhenUp(`unix:${p}`);
    expect(fs.statSync(p).mode & 0o777).toBe(0o600);
    await new Promise((r) => setTimeout(r, 1500));
    expect(child.exitCode).toBe(null);
    c.close();
    expect(await exited(child, 10_000)).toBe(0);
    expect(fs.existsSync(p)).toBe(false);
  }, 30_000);

  it('is started by systemd-socket-activate and serves the inherited socket', async () => {
    const tool = spawnSync('sh', ['-c', 'command -v systemd-socket-activate']).stdout.toString().trim();
    if (!tool) return expect(tool, 'systemd-socket-activate is not installed').toBe('');
    const p = path.join(base, 'activated.sock');
    // -E passes the environment through; the service itself never binds p.
    const argv = [tool, '-l', p, '-E', 'REGISTRY_AUTH_FILE', '-E', 'CONTAINERS_REGISTRIES_CONF', '--', selkieBin, ...s.flags, 'system', 'service', '--varlink', '--timeout', '1'];
    const activator = spawn(argv[0]!, argv.slice(1), { env: serviceEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(activator);
    const c = await connectWhenUp(`unix:${p}`);
    expect((await c.call('io.podman.GetVersion')).remote_api_version).toBe(1);
    expect((await c.call('io.podman.ImageExists', { name: 'busybox' })).exists).toBe(0);
    c.close();
    activator.kill('SIGTERM');
    await exited(activator, 5000);
  }, 30_000);

  it('serves a listening socket passed as fd 3 with LISTEN_FDS and LISTEN_PID', async () => {
    // An abstract socket: closing the parent's copy below must not unlink a socket file.
    const name = `selkie-varlink-test-${process.pid}`;
    const listener = net.createServer();
    await new Promise<void>((r) => listener.listen(`\0${name}`, r));
    const fd = (listener as unknown as { _handle: { fd: number } })._handle.fd;
    // LISTEN_PID must be the service's own pid: the shell sets it to $$ and execs selkie in its place.
    const child = spawnService(['--timeout', '1'], {
      command: ['sh', '-c', 'LISTEN_PID=$$ LISTEN_FDS=1 LISTEN_FDNAMES=varlink exec "$@"', 'sh'],
      stdio: ['ignore', 'pipe', 'pipe', fd],
    });
    // The parent stops accepting; connections queue on the shared socket until the service takes them.
    listener.close();
    const c = await connectWhenUp(`unix:@${name}`);
    expect((await c.call('org.varlink.service.GetInfo')).product).toBe('selkie');
    c.close();
    expect(await exited(child, 10_000)).toBe(0);
  }, 30_000);
});
