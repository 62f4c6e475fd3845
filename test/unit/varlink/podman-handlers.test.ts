import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Engine } from '../../../src/engine/engine.js';
import { SelkieError } from '../../../src/engine/errors.js';
import type { PullOptions } from '../../../src/engine/registry/pull-types.js';
import type { ContainerInfo } from '../../../src/engine/types/container.js';
import { engineVarlinkService } from '../../../src/engine/varlink/engine-service.js';
import { podmanContainer } from '../../../src/engine/varlink/podman/container-struct.js';
import { goDuration, humanDuration, rfc3339, rfc3339Nano } from '../../../src/engine/varlink/podman/go-format.js';
import { podmanInterface } from '../../../src/engine/varlink/podman/podman-interface.js';
import type { ReplyMessage } from '../../../src/engine/varlink/service.js';

const interfaces = path.join(__dirname, '../../../src/engine/varlink/interfaces');
const texts = {
  podman: fs.readFileSync(path.join(interfaces, 'io.podman.varlink'), 'utf8'),
  selkie: fs.readFileSync(path.join(interfaces, 'io.selkie.varlink'), 'utf8'),
};

const info: ContainerInfo = {
  Id: 'c'.repeat(64), Names: ['web'], Image: 'localhost/busybox:latest', ImageID: 'i'.repeat(64), Command: ['sleep', '9'],
  Created: 1_700_000_000, State: 'running', Status: 'Up 2 minutes', ExitCode: 0, Pid: 0, Labels: { a: 'b' }, StartedAt: 0, ExitedAt: 0,
};

/** An Engine whose methods record their calls; what a test needs is filled in per test. */
function fakeEngine(parts: { containers?: object; images?: object; system?: object }, calls: string[] = []): Engine {
  const record = (area: string, impl: object) =>
    new Proxy(impl, {
      get: (target, key) => {
        const f = (target as Record<string | symbol, unknown>)[key];
        if (typeof f !== 'function') return async () => {
          throw new Error(`unexpected call ${area}.${String(key)}`);
        };
        return (...args: unknown[]) => {
          calls.push(`${area}.${String(key)}(${args.filter((a) => typeof a !== 'object' || a === null || !('onProgress' in (a as object))).map((a) => JSON.stringify(a)).join(', ')})`);
          return (f as (...a: unknown[]) => unknown)(...args);
        };
      },
    });
  return { containers: record('containers', parts.containers ?? {}), images: record('images', parts.images ?? {}), system: record('system', parts.system ?? {}), close: async () => {} } as unknown as Engine;
}

async function call(engine: Engine, method: string, parameters: object = {}, more = false): Promise<ReplyMessage[]> {
  const service = engineVarlinkService(engine, texts);
  const out: ReplyMessage[] = [];
  for await (const r of service.dispatch({ method, parameters, more }, new AbortController().signal).replies) out.push(r);
  return out;
}

describe('io.podman handlers', () => {
  it('implements only methods that io.podman defines', () => {
    const impl = podmanInterface(fakeEngine({}), texts.podman);
    const unknown = Object.keys(impl.methods).filter((m) => !impl.definition.methods.has(m));
    expect(unknown).toEqual([]);
    expect(Object.keys(impl.methods)).toEqual(expect.arrayContaining([
      'GetVersion', 'GetInfo', 'ListContainers', 'GetContainer', 'InspectContainer', 'ListImages', 'GetImage', 'InspectImage',
      'StartContainer', 'StopContainer', 'KillContainer', 'RemoveContainer', 'WaitContainer', 'PauseContainer', 'UnpauseContainer',
      'RestartContainer', 'TagImage', 'RemoveImage', 'PullImage', 'GetContainerLogs', 'ListContainerProcesses', 'Top',
    ]));
  });

  it('maps engine errors to io.podman errors naming the object', async () => {
    const engine = fakeEngine({
      containers: {
        inspect: async (n: string) => {
          if (n === 'gone') throw new SelkieError('not-found', `container "gone" not found`, { hint: 'list containers with selkie ps -a' });
          return { Id: 'c'.repeat(64) };
        },
        stop: async () => {
          throw new SelkieError('conflict', 'container web is not running');
        },
        start: async () => {
          throw new SelkieError('runtime', 'runc failed', { hint: 'see the log' });
        },
      },
      images: { inspect: async (n: string) => { throw new SelkieError('not-found', `image ${JSON.stringify(n)} not found`); } },
    });
    expect(await call(engine, 'io.podman.InspectContainer', { name: 'gone' })).toEqual([
      { error: 'io.podman.ContainerNotFound', parameters: { id: 'gone', reason: 'container "gone" not found: list containers with selkie ps -a' } },
    ]);
    expect(await call(engine, 'io.podman.StopContainer', { name: 'web' })).toEqual([{ error: 'io.podman.InvalidState', parameters: { id: 'web', reason: 'container web is not running' } }]);
    expect(await call(engine, 'io.podman.StartContainer', { name: 'web' })).toEqual([{ error: 'io.podman.ErrorOccurred', parameters: { reason: 'runc failed: see the log' } }]);
    expect(await call(engine, 'io.podman.GetImage', { id: 'x' })).toEqual([{ error: 'io.podman.ImageNotFound', parameters: { id: 'x', reason: 'image "x" not found' } }]);
    expect(await call(engine, 'io.selkie.GetContainerSecurity', { name: 'gone' })).toMatchObject([{ error: 'io.selkie.ContainerNotFound', parameters: { id: 'gone' } }]);
  });

  it('passes lifecycle parameters the way Podman 1.9 read them', async () => {
    const calls: string[] = [];
    const engine = fakeEngine({ containers: { inspect: async () => ({ Id: 'abc' }), kill: async () => {}, stop: async () => {}, remove: async () => {} } }, calls);
    expect(await call(engine, 'io.podman.KillContainer', { name: 'web', signal: -1 })).toEqual([{ parameters: { container: 'abc' } }]);
    await call(engine, 'io.podman.KillContainer', { name: 'web', signal: 9 });
    await call(engine, 'io.podman.StopContainer', { name: 'web' });
    await call(engine, 'io.podman.StopContainer', { name: 'web', timeout: 3 });
    await call(engine, 'io.podman.RemoveContainer', { name: 'web', force: true });
    expect(calls.filter((c) => !c.startsWith('containers.inspect'))).toEqual([
      'containers.kill("abc", "SIGTERM")',
      'containers.kill("abc", "9")',
      'containers.stop("abc", {})',
      'containers.stop("abc", {"timeout":3})',
      'containers.remove("abc", {"force":true,"volumes":false})',
    ]);
  });

  it('streams pull progress with more, and answers once without it', async () => {
    const pull = async (_ref: string, opts: PullOptions) => {
      opts.onProgress?.({ kind: 'resolving', reference: 'r/x:1' });
      opts.onProgress?.({ kind: 'blob', digest: 'sha256:aa', state: 'copying', received: 1, total: 9 });
      opts.onProgress?.({ kind: 'blob', digest: 'sha256:aa', state: 'copying', received: 5, total: 9 });
      opts.onProgress?.({ kind: 'blob', digest: 'sha256:aa', state: 'done', received: 9, total: 9 });
      opts.onProgress?.({ kind: 'blob', digest: 'sha256:bb', state: 'skipped', received: 0, total: 0 });
      await new Promise((r) => setTimeout(r, 5));
      opts.onProgress?.({ kind: 'writing-manifest' });
      return 'f'.repeat(64);
    };
    const calls: string[] = [];
    const engine = fakeEngine({ images: { pull } }, calls);
    const lines = ['Trying to pull r/x:1...\n', 'Copying blob sha256:aa\n', 'Copying blob sha256:bb skipped: already exists\n', 'Writing manifest to image destination\n'];
    expect(await call(engine, 'io.podman.PullImage', { name: 'r/x:1', creds: { username: 'u', password: 'p' } }, true)).toEqual([
      ...lines.map((l) => ({ parameters: { reply: { logs: [l], id: '' } }, continues: true })),
      { parameters: { reply: { logs: [], id: 'f'.repeat(64) } } },
    ]);
    expect(await call(engine, 'io.podman.PullImage', { name: 'r/x:1' })).toEqual([{ parameters: { reply: { logs: lines, id: 'f'.repeat(64) } } }]);
  });

  it('has a handler for every method; what selkie lacks answers ErrorOccurred, not MethodNotImplemented', async () => {
    const impl = podmanInterface(fakeEngine({}), texts.podman);
    expect([...impl.definition.methods.keys()].filter((m) => !impl.methods[m])).toEqual([]);
    const engine = fakeEngine({ containers: { inspect: async () => ({ Id: 'c'.repeat(64) }) } });
    expect(await call(engine, 'io.podman.ContainerCheckpoint', { name: 'p' })).toEqual([
      { error: 'io.podman.ErrorOccurred', parameters: { reason: expect.stringContaining('does not support checkpoint/restore') } },
    ]);
  });
});

describe('io.podman Container struct', () => {
  it('converts a list entry and its inspect data', () => {
    const c = podmanContainer(
      info,
      {
        NetworkSettings: { Ports: { '80/tcp': [{ HostIp: '0.0.0.0', HostPort: '8080' }], '53/udp': null } },
        Mounts: [{ Type: 'bind', Source: '/src', Destination: '/dst', Mode: 'z', RW: false }],
      } as never,
      1_700_000_000_000 + 125_500,
    );
    expect(c).toMatchObject({
      id: info.Id, names: 'web', createdat: '2023-11-14T22:13:20Z', runningfor: '2m5.5s', status: 'Up 2 minutes', containerrunning: true,
      ports: [{ host_port: '8080', host_ip: '0.0.0.0', protocol: 'tcp', container_port: '80' }],
      mounts: [{ destination: '/dst', type: 'bind', source: '/src', options: ['ro', 'z'] }],
      namespaces: { pid: '', net: '' },
    });
  });

  it('reads the namespaces of a running process', () => {
    const c = podmanContainer({ ...info, Pid: process.pid }, undefined);
    expect(c.namespaces.pid).toBe(String(process.pid));
    expect(c.namespaces.net).toBe(/\[(\d+)\]/.exec(fs.readlinkSync(`/proc/${process.pid}/ns/net`))![1]);
  });

  it('formats times and durations as Go did', () => {
    expect(rfc3339(0)).toBe('0001-01-01T00:00:00Z');
    expect(rfc3339('2024-01-02T03:04:05.123456789Z')).toBe('2024-01-02T03:04:05Z');
    expect(goDuration(250)).toBe('250ms');
    expect(goDuration(1500)).toBe('1.5s');
    expect(goDuration(240_000)).toBe('4m0s');
    expect(goDuration(3_723_000)).toBe('1h2m3s');
    expect(rfc3339Nano(0)).toBe('0001-01-01T00:00:00Z');
    expect(rfc3339Nano(1_700_000_000.25)).toBe('2023-11-14T22:13:20.25Z');
    expect(rfc3339Nano(1_700_000_000)).toBe('2023-11-14T22:13:20Z');
    expect(['Less than a second', '1 second', '59 seconds', 'About a minute', '59 minutes', 'About an hour', '47 hours', '13 days', '8 weeks', '23 months', '3 years']).toEqual(
      [500, 1000, 59_000, 60_000, 59 * 60_000, 3_600_000, 47 * 3_600_000, 13 * 86_400_000, 56 * 86_400_000, 700 * 86_400_000, 1100 * 86_400_000].map(humanDuration),
    );
  });
});
