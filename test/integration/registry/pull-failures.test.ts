import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeRegistry, type FakeRegistry } from './fake-registry.js';
import { makePullEnv, type PullEnv } from './pull-helpers.js';

let s: PullEnv;
let reg: FakeRegistry;
// Short timeouts and one retry keep the failure cases quick.
const env = { SELKIE_REGISTRY_TIMEOUT: '1', SELKIE_REGISTRY_RETRIES: '1' };
beforeAll(async () => {
  s = makePullEnv();
  reg = await startFakeRegistry();
});
afterAll(async () => {
  await reg.close();
  await s.cleanup();
});

async function expectNothingStored(): Promise<void> {
  expect(await s.imageIds()).toEqual([]);
  expect(s.layerDirs()).toEqual([]);
  const tmp = path.join(s.root, 'tmp');
  expect(fs.existsSync(tmp) ? fs.readdirSync(tmp).filter((n) => n.startsWith('pull-')) : []).toEqual([]);
}

const pull = (repo: string) => s.sk(['pull', '-q', '--tls-verify=false', `${reg.host}/${repo}:latest`], { env });

describe('pull failures store nothing', () => {
  it('a layer whose digest does not match', async () => {
    const r = await pull('mismatch');
    expect(r.code).toBe(125);
    expect(r.stderr).toMatch(/blob sha256:[0-9a-f]{64} of mismatch: digest mismatch: expected sha256:[0-9a-f]{64}, got sha256:/);
    await expectNothingStored();
  });

  it('a truncated blob', async () => {
    const r = await pull('truncated');
    expect(r.code).toBe(125);
    expect(r.stderr).toMatch(/blob sha256:[0-9a-f]{64} of truncated: transfer from 127\.0\.0\.1:\d+ broke off after \d+ of \d+ bytes/);
    await expectNothingStored();
  });

  it('a registry that never answers', async () => {
    const r = await pull('hang');
    expect(r.code).toBe(125);
    expect(r.stderr).toContain(`${reg.host} did not answer within 1 s`);
    await expectNothingStored();
  });

  it('an oversized manifest', async () => {
    const r = await pull('oversize');
    expect(r.code).toBe(125);
    expect(r.stderr).toMatch(/manifest oversize:latest on .* is \d+ bytes, more than the 4 MiB limit/);
    await expectNothingStored();
  });

  it('an unknown manifest media type', async () => {
    const r = await pull('unknown');
    expect(r.code).toBe(125);
    expect(r.stderr).toMatch(/unsupported manifest media type "application\/vnd\.example\.thing\+json"/);
    await expectNothingStored();
  });

  it('a layer whose content does not match the config diff ID', async () => {
    const r = await pull('diffid');
    expect(r.code).toBe(125);
    expect(r.stderr).toMatch(/layer sha256:[0-9a-f]{64}: uncompressed content \(diff ID\): digest mismatch: expected sha256:[0-9a-f]{64}, got sha256:/);
    await expectNothingStored();
  });

  it('blob redirects are followed', async () => {
    const r = await pull('redirect');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(reg.requests.filter((q) => q.startsWith('GET /storage/'))).toHaveLength(2);
    expect((await s.sk(['rmi', `${reg.host}/redirect:latest`])).code).toBe(0);
  });

  it('a broken transfer resumes with a Range request', async () => {
    const r = await pull('flaky');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(reg.requests.some((q) => /\/v2\/flaky\/blobs\/sha256:\w+ bytes=\d+-$/.test(q))).toBe(true);
    expect(await s.imageIds()).toHaveLength(1);
  });
});
