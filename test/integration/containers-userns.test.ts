import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { busyboxEnv, type SelkieEnv } from '../helpers/selkie-cli.js';

const envs: SelkieEnv[] = [];
afterAll(async () => {
  for (const e of envs) await e.cleanup();
});

async function env(storageDriver: 'overlay' | 'vfs'): Promise<SelkieEnv> {
  const s = await busyboxEnv({ storageDriver });
  envs.push(s);
  // Like /var/lib for /var/lib/selkie: the mapped root must be able to pass through the test's base dir.
  fs.chmodSync(path.dirname(s.root), 0o711);
  return s;
}

const hostUid = (pid: string) => fs.statSync(`/proc/${pid}`).uid;

describe.each(['overlay', 'vfs'] as const)('user namespaces (%s)', (driver) => {
  let s: SelkieEnv;
  beforeAll(async () => {
    s = await env(driver);
  });

  it('runs two containers of one image as root inside, as their mapped IDs on the host', async () => {
    for (const [name, base] of [['ns1', 100000], ['ns2', 200000]] as const) {
      const r = await s.run(['run', '-d', '--name', name, '--uidmap', `0:${base}:65536`, 'busybox', 'sleep', '1000']);
      expect(r.code, r.stderr).toBe(0);
    }
    for (const [name, base] of [['ns1', 100000], ['ns2', 200000]] as const) {
      const pid = (await s.run(['inspect', '--format', '{{.State.Pid}}', name])).stdout.trim();
      expect(hostUid(pid)).toBe(base);
      // The image's files, as the host sees them through the container's root, belong to the mapping.
      expect(fs.statSync(`/proc/${pid}/root/bin/busybox`).uid).toBe(base);
      const inside = await s.run(['exec', name, 'sh', '-c', 'id -u; stat -c %u /bin/busybox; cat /proc/self/uid_map']);
      expect(inside.stdout.split('\n').slice(0, 2)).toEqual(['0', '0']);
      expect(inside.stdout.split('\n')[2]!.trim().split(/\s+/)).toEqual(['0', String(base), '65536']);
    }
  });

  it('shows both views in top and the mappings in inspect', async () => {
    const top = (await s.run(['top', 'ns2', 'user', 'huser', 'uid', 'huid'])).stdout.trim().split('\n');
    expect(top[1]!.trim().split(/\s+/)).toEqual(['root', '200000', '0', '200000']);
    const idm = JSON.parse((await s.run(['inspect', '--format', '{{json .HostConfig.IDMappings}}', 'ns2'])).stdout);
    expect(idm).toEqual({ UidMap: ['0:200000:65536'], GidMap: ['0:200000:65536'] });
    expect((await s.run(['inspect', '--format', '{{.HostConfig.UsernsMode}}', 'ns2'])).stdout.trim()).toBe('private');
  });

  it('maps GIDs separately with --gidmap, and lets the container write its own files', async () => {
    const r = await s.run(['run', '--rm', '--uidmap', '0:100000:65536', '--gidmap', '0:300000:65536', 'busybox', 'sh', '-c',
      'echo hi > /tmp/f && stat -c "%u %g" /tmp/f /etc/hosts && cat /proc/self/gid_map']);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines.slice(0, 2)).toEqual(['0 0', '0 0']);
    expect(lines[2]!.trim().split(/\s+/)).toEqual(['0', '300000', '65536']);
  });

  it('refuses malformed and overlapping mappings before creating anything', async () => {
    const before = (await s.run(['ps', '-aq'])).stdout;
    for (const bad of [['--uidmap', '0:100000'], ['--uidmap', 'a:b:c'], ['--uidmap', '0:100000:0'], ['--uidmap', '0:100000:10', '--uidmap', '5:200000:10']]) {
      const r = await s.run(['create', ...bad, 'busybox', 'true']);
      expect(r.code).toBe(125);
      expect(r.stderr).toMatch(/invalid --uidmap/);
    }
    expect((await s.run(['ps', '-aq'])).stdout).toBe(before);
  });

  afterAll(async () => {
    await s.run(['rm', '-f', 'ns1', 'ns2']);
  });
});

describe('shifted layers', () => {
  it('are made once per mapping and shared by containers with the same mapping', async () => {
    const s = await env('overlay');
    for (const n of ['a', 'b']) expect((await s.run(['create', '--name', n, '--uidmap', '0:400000:65536', 'busybox', 'true'])).code).toBe(0);
    expect((await s.run(['create', '--name', 'c', '--uidmap', '0:500000:65536', 'busybox', 'true'])).code).toBe(0);
    const layerDirs = fs.readdirSync(`${s.root}/overlay`).filter((d) => /^[0-9a-f]{64}$/.test(d));
    const shifted = layerDirs.flatMap((d) => fs.readdirSync(`${s.root}/overlay/${d}`).filter((e) => e.startsWith('shift-')));
    expect(new Set(shifted).size).toBe(2);
    expect(shifted.length).toBe(2); // one image layer, two mappings
    await s.run(['rm', 'a', 'b', 'c']);
    // Removing the image removes its layers with their shifted copies.
    expect((await s.run(['rmi', 'busybox'])).code).toBe(0);
    expect(fs.readdirSync(`${s.root}/overlay`).filter((d) => /^[0-9a-f]{64}$/.test(d))).toEqual([]);
  });
});
