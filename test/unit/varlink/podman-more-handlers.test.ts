import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Engine } from '../../../src/engine/engine.js';
import { SelkieError } from '../../../src/engine/errors.js';
import { engineVarlinkService } from '../../../src/engine/varlink/engine-service.js';
import { archiveDestination } from '../../../src/engine/varlink/podman/image-transfer.js';
import { podmanStats } from '../../../src/engine/varlink/podman/stats.js';
import type { ReplyMessage } from '../../../src/engine/varlink/service.js';
import { isVarlinkError } from '../../../src/engine/varlink/varlink-error.js';

const interfaces = path.join(__dirname, '../../../src/engine/varlink/interfaces');
const texts = {
  podman: fs.readFileSync(path.join(interfaces, 'io.podman.varlink'), 'utf8'),
  selkie: fs.readFileSync(path.join(interfaces, 'io.selkie.varlink'), 'utf8'),
};

async function call(engine: object, method: string, parameters: object = {}, more = false): Promise<ReplyMessage[]> {
  const service = engineVarlinkService(engine as Engine, texts);
  const out: ReplyMessage[] = [];
  for await (const r of service.dispatch({ method, parameters, more }, new AbortController().signal).replies) out.push(r);
  return out;
}

const sample = { ID: 'c'.repeat(64), Name: 'web', CPUPerc: 50, MemUsage: 1000, MemLimit: 4000, MemPerc: 25, NetInput: 1, NetOutput: 2, BlockInput: 3, BlockOutput: 4, PIDs: 2 };

describe('io.podman stats', () => {
  it("maps the engine's figures to Podman's ContainerStats and carries cpu_nano forward from the previous sample", () => {
    const first = podmanStats(sample, undefined, 1_000);
    expect(first).toEqual({
      id: sample.ID, name: 'web', cpu: 50, cpu_nano: 0, system_nano: 1_000_000_000, mem_usage: 1000, mem_limit: 4000, mem_perc: 25,
      net_input: 1, net_output: 2, block_input: 3, block_output: 4, pids: 2,
    });
    // Half a CPU for 2 s: 1 s of CPU time more than before.
    expect(podmanStats(sample, { ...first, cpu_nano: 5 }, 3_000).cpu_nano).toBe(5 + 1_000_000_000);
  });

  it('answers NoContainerRunning for a stopped container, ContainerNotFound for a missing one', async () => {
    const containers = {
      inspect: async (n: string) => {
        if (n === 'gone') throw new SelkieError('not-found', 'no such container gone');
        return { Id: 'c'.repeat(64), State: { Running: false, Paused: false } };
      },
    };
    expect(await call({ containers }, 'io.podman.GetContainerStats', { name: 'idle' })).toEqual([{ error: 'io.podman.NoContainerRunning', parameters: {} }]);
    expect(await call({ containers }, 'io.podman.GetContainerStats', { name: 'gone' })).toEqual([
      { error: 'io.podman.ContainerNotFound', parameters: { id: 'gone', reason: expect.stringContaining('no such container') } },
    ]);
  });
});

describe('io.podman changes', () => {
  it("groups the engine's changes and prints Docker's change letters", async () => {
    const containers = { diff: async () => [{ Path: '/a', Kind: 1 }, { Path: '/b', Kind: 0 }, { Path: '/c', Kind: 2 }] };
    expect(await call({ containers }, 'io.podman.ListContainerChanges', { name: 'x' })).toEqual([{ parameters: { container: { changed: ['/b'], added: ['/a'], deleted: ['/c'] } } }]);
    expect(await call({ containers }, 'io.podman.Diff', { name: 'x' })).toEqual([
      { parameters: { diffs: [{ path: '/a', changeType: 'A' }, { path: '/b', changeType: 'C' }, { path: '/c', changeType: 'D' }] } },
    ]);
  });
});

describe('io.podman image transfers', () => {
  it('parses archive destinations and refuses a name inside one', () => {
    expect(archiveDestination('docker-archive:/tmp/x.tar')).toEqual({ format: 'docker-archive', file: '/tmp/x.tar' });
    expect(archiveDestination('oci-archive:rel.tar')).toEqual({ format: 'oci-archive', file: path.resolve('rel.tar') });
    expect(archiveDestination('docker://host/repo:1')).toBeUndefined();
    expect(archiveDestination('localhost:5000/repo')).toBeUndefined();
    const e = (() => {
      try {
        archiveDestination('oci-archive:/tmp/x.tar:name:1');
      } catch (x) {
        return x;
      }
    })();
    expect(isVarlinkError(e) && e.error).toBe('io.podman.ErrorOccurred');
  });

  it('checks PushImage formats and signing before pushing anything', async () => {
    const pushed: string[] = [];
    const images = { inspect: async () => ({ Id: 'sha256:abc' }), push: async (n: string) => (pushed.push(n), 'sha256:d') };
    expect(await call({ images }, 'io.podman.PushImage', { name: 'a', format: 'v2s1' })).toEqual([{ error: 'io.podman.ErrorOccurred', parameters: { reason: expect.stringContaining('v2s1') } }]);
    expect(await call({ images }, 'io.podman.PushImage', { name: 'a', signBy: 'me@example.com' })).toEqual([{ error: 'io.podman.ErrorOccurred', parameters: { reason: expect.stringContaining('signing') } }]);
    expect(pushed).toEqual([]);
    expect(await call({ images }, 'io.podman.PushImage', { name: 'a', tag: 'r/b:1', format: 'docker' })).toEqual([{ parameters: { reply: { logs: ['Storing signatures\n'], id: 'sha256:d' } } }]);
    expect(pushed).toEqual(['a']);
  });
});
