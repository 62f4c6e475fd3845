import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isSelkieError } from '../../../src/engine/errors.js';
import type { HostFacts } from '../../../src/engine/runtime/host-facts.js';
import { generateSpec, type SpecInput } from '../../../src/engine/runtime/oci-spec.js';
import { livePauseProcess, processStartTime } from '../../../src/engine/rootless/pause-process.js';
import { goFieldNames } from '../../../src/cli/output/go-field-names.js';

const host: HostFacts = {
  limits: { RLIMIT_NOFILE: { soft: 1024, hard: 4096 } },
  canRaiseLimits: true,
  boundingCapabilities: [],
  cgroupLayout: 'hybrid',
};
const base: SpecInput = { args: ['true'], env: [], rootfs: '/rootfs', hostname: 'h', cgroupsPath: '/selkie/abc' };
const spec = (extra: Partial<SpecInput> = {}) => generateSpec({ ...base, ...extra }, host);
const mount = (s: ReturnType<typeof spec>, dest: string) => s.mounts!.find((m) => m.destination === dest);

describe('rootless spec', () => {
  it('has no cgroup path and no resources (no delegated cgroup), and keeps rlimits within the hard limits', () => {
    const s = spec({ rootless: true });
    expect(s.linux!.cgroupsPath).toBeUndefined();
    expect(s.linux!.resources).toBeUndefined();
    const nofile = s.process.rlimits!.find((r) => r.type === 'RLIMIT_NOFILE')!;
    expect(nofile.hard).toBeLessThanOrEqual(4096);
    // Root keeps both.
    const r = spec({ rootless: false });
    expect(r.linux!.cgroupsPath).toBe('/selkie/abc');
    expect(r.linux!.resources).toBeDefined();
  });

  it('refuses resource limits, naming the flags', () => {
    let err: unknown;
    try {
      spec({ rootless: true, memoryLimit: 1 << 26, pidsLimit: 10 });
    } catch (e) {
      err = e;
    }
    expect(isSelkieError(err)).toBe(true);
    expect((err as Error).message).toMatch(/^--memory, --pids-limit: rootless containers cannot have resource limits/);
  });

  it('mounts sysfs and mqueue for namespaces of its own (joined ones too), binds them only for the host ones', () => {
    expect(mount(spec({ rootless: true }), '/sys')!.type).toBe('sysfs');
    expect(mount(spec({ rootless: true, networkNamespace: { path: '/run/x/netns' } }), '/sys')!.type).toBe('sysfs');
    expect(mount(spec({ rootless: true, networkNamespace: 'host' }), '/sys')!.type).toBe('bind');
    expect(mount(spec({ rootless: true, ipcNamespace: { path: '/proc/1/ns/ipc' } }), '/dev/mqueue')!.type).toBe('mqueue');
  });
});

describe('pause process file', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'selkie-pause-test-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (text: string) => fs.writeFileSync(path.join(dir, 'pause.pid'), text);

  it('is stale when absent, when its pid is dead, or when the pid is another process (reused)', () => {
    expect(livePauseProcess(dir)).toBeUndefined();
    write('999999999 12345\n');
    expect(livePauseProcess(dir)).toBeUndefined();
    // A live process with the right start time but not a pause process: this test's own.
    write(`${process.pid} ${processStartTime(process.pid)}\n`);
    expect(livePauseProcess(dir)).toBeUndefined();
    write('garbage');
    expect(livePauseProcess(dir)).toBeUndefined();
  });
});

describe('info field names', () => {
  it('spells the ID mappings as Podman templates do', () => {
    expect(goFieldNames({ idMappings: { uidmap: [{ container_id: 0, host_id: 1000, size: 1 }], gidmap: [] } })).toEqual({
      IDMappings: { UIDMap: [{ ContainerID: 0, HostID: 1000, Size: 1 }], GIDMap: [] },
    });
  });
});
