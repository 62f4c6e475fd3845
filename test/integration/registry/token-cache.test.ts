import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useFixtures } from '../../fixtures/inject.js';
import { fetchTokenStats } from '../../fixtures/registry.js';
import { makePullEnv, type PullEnv } from './pull-helpers.js';

const fx = useFixtures();
const { token } = fx.registries;

let s: PullEnv;
beforeAll(() => {
  s = makePullEnv();
});
afterAll(async () => s.cleanup());

const tokenDir = () => path.join(s.runroot, 'registry-tokens');
const asked = async (since: number) => (await fetchTokenStats(token)).log.slice(since);

describe('bearer token reuse across commands', () => {
  it('a second pull and a remote inspect within the lifetime ask the token server nothing', async () => {
    const before = (await fetchTokenStats(token)).log.length;
    expect((await s.sk(['pull', '-q', '--tls-verify=false', `${token.host}/layers:latest`])).code).toBe(0);
    expect(await asked(before)).toHaveLength(1);
    const files = fs.readdirSync(tokenDir());
    expect(files).toHaveLength(1);
    const st = fs.statSync(path.join(tokenDir(), files[0]!));
    expect(st.mode & 0o777).toBe(0o600);
    expect(fs.statSync(tokenDir()).mode & 0o777).toBe(0o700);

    const mid = (await fetchTokenStats(token)).log.length;
    const again = await s.sk(['--log-level', 'debug', 'pull', '-q', '--tls-verify=false', `${token.host}/layers:latest`]);
    expect(again.code).toBe(0);
    // The stored challenge lets even the first request carry the token: no 401 round trip.
    expect(again.stderr).not.toMatch(/→ 401/);
    const inspect = await s.sk(['image', 'inspect', '--remote', '--tls-verify=false', `${token.host}/layers:latest`]);
    expect(inspect.code).toBe(0);
    expect(await asked(mid)).toEqual([]);
  });

  it('another scope, other credentials or an expired token ask again', async () => {
    const before = (await fetchTokenStats(token)).log.length;
    expect((await s.sk(['pull', '-q', '--tls-verify=false', `${token.host}/busybox:latest`])).code).toBe(0);
    expect((await asked(before)).map((r) => r.scopes)).toEqual([['repository:busybox:pull']]);

    const mid = (await fetchTokenStats(token)).log.length;
    const creds = ['--creds', `${token.username}:${token.password}`];
    expect((await s.sk(['image', 'inspect', '--remote', '--tls-verify=false', ...creds, `${token.host}/busybox:latest`])).code).toBe(0);
    const withAccount = await asked(mid);
    expect(withAccount).toHaveLength(1);
    expect(withAccount[0]!.account).toBe(token.username);

    // Expire every stored token: the next command fetches a new one.
    for (const f of fs.readdirSync(tokenDir())) {
      const p = path.join(tokenDir(), f);
      const t = JSON.parse(fs.readFileSync(p, 'utf8')) as { expiresAt: number };
      t.expiresAt = Date.now() - 1000;
      fs.writeFileSync(p, JSON.stringify(t), { mode: 0o600 });
    }
    const late = (await fetchTokenStats(token)).log.length;
    expect((await s.sk(['image', 'inspect', '--remote', '--tls-verify=false', `${token.host}/busybox:latest`])).code).toBe(0);
    expect(await asked(late)).toHaveLength(1);
  });

  it('a token the registry refuses is dropped and replaced', async () => {
    for (const f of fs.readdirSync(tokenDir())) {
      const p = path.join(tokenDir(), f);
      const t = JSON.parse(fs.readFileSync(p, 'utf8')) as { token: string };
      t.token = 'not-a-valid-token';
      fs.writeFileSync(p, JSON.stringify(t), { mode: 0o600 });
    }
    const before = (await fetchTokenStats(token)).log.length;
    const r = await s.sk(['image', 'inspect', '--remote', '--tls-verify=false', `${token.host}/busybox:latest`]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(await asked(before)).toHaveLength(1);
    const stored = fs.readdirSync(tokenDir()).map((f) => JSON.parse(fs.readFileSync(path.join(tokenDir(), f), 'utf8')) as { token: string });
    expect(stored.some((t) => t.token !== 'not-a-valid-token')).toBe(true);
  });
});
