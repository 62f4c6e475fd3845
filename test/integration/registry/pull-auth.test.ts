import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useFixtures } from '../../fixtures/inject.js';
import { fetchTokenStats } from '../../fixtures/registry.js';
import { makePullEnv, type PullEnv } from './pull-helpers.js';

const fx = useFixtures();
const { tls, basic, token } = fx.registries;

let s: PullEnv;
beforeAll(() => {
  s = makePullEnv();
});
afterAll(async () => s.cleanup());

describe('TLS', () => {
  it('fails without the CA, naming the host and how to trust it', async () => {
    const r = await s.sk(['pull', `${tls.host}/busybox:latest`]);
    expect(r.code).toBe(125);
    expect(r.stderr).toMatch(new RegExp(`cannot reach ${tls.host}: .*certificate.*--cert-dir`));
    expect(await s.imageIds()).toEqual([]);
  });

  it('pulls with --cert-dir', async () => {
    const r = await s.sk(['pull', '-q', '--cert-dir', path.join(tls.certsDir!, tls.host), `${tls.host}/busybox:latest`]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('trusts the CAs of NODE_EXTRA_CA_CERTS, as Node would', async () => {
    const r = await s.sk(['pull', '-q', `${tls.host}/busybox:latest`], { env: { NODE_EXTRA_CA_CERTS: tls.caFile } });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const missing = await s.sk(['pull', '-q', `${tls.host}/busybox:latest`], { env: { NODE_EXTRA_CA_CERTS: '/nonexistent/ca.pem' } });
    expect(missing.code).toBe(125);
    expect(missing.stderr).toMatch(/Ignoring extra certs from `\/nonexistent\/ca.pem`/);
  });

  it('--tls-verify=false skips verification', async () => {
    const r = await s.sk(['pull', '--tls-verify=false', `${tls.host}/layers:latest`]);
    expect(r.code).toBe(0);
  });
});

describe('basic auth', () => {
  it('401 without credentials tells to log in', async () => {
    const r = await s.sk(['pull', '-q', '--tls-verify=false', `${basic.host}/busybox:latest`]);
    expect(r.code).toBe(125);
    expect(r.stderr).toBe(`Error: authentication required for ${basic.host}: run selkie login ${basic.host}\n`);
  });

  it('wrong credentials are refused by login and by --creds', async () => {
    const l = await s.sk(['login', '--tls-verify=false', '-u', basic.username!, '-p', 'wrong', basic.host]);
    expect(l.code).toBe(125);
    expect(l.stderr).toMatch(new RegExp(`authentication to ${basic.host} failed`));
    expect(JSON.parse(fs.readFileSync(s.authFile, 'utf8')).auths).toEqual({});
    const p = await s.sk(['pull', '--tls-verify=false', '--creds', `${basic.username}:wrong`, `${basic.host}/busybox:latest`]);
    expect(p.code).toBe(125);
    expect(p.stderr).toMatch(/authentication to .* failed/);
  });

  it('login stores the credentials, pull uses them, logout removes them', async () => {
    const l = await s.sk(['login', '--tls-verify=false', '-u', basic.username!, '--password-stdin', basic.host], { input: `${basic.password}\n` });
    expect(l.stderr).toBe('');
    expect(l.stdout).toBe('Login Succeeded!\n');
    expect(Object.keys(JSON.parse(fs.readFileSync(s.authFile, 'utf8')).auths)).toEqual([basic.host]);
    expect((await s.sk(['pull', '--tls-verify=false', `${basic.host}/busybox:latest`])).code).toBe(0);
    const o = await s.sk(['logout', basic.host]);
    expect(o.stdout).toBe(`Removed login credentials for ${basic.host}\n`);
    expect(JSON.parse(fs.readFileSync(s.authFile, 'utf8')).auths).toEqual({});
    expect((await s.sk(['logout', basic.host])).stderr).toMatch(/not logged in to/);
    await s.sk(['login', '--tls-verify=false', '-u', basic.username!, '-p', basic.password!, basic.host]);
    expect((await s.sk(['logout', '--all'])).stdout).toBe('Removed login credentials for all registries\n');
    expect(JSON.parse(fs.readFileSync(s.authFile, 'utf8')).auths).toEqual({});
  });

  it('--creds and --authfile work without login', async () => {
    const e = makePullEnv();
    try {
      expect((await e.sk(['pull', '--tls-verify=false', '--creds', `${basic.username}:${basic.password}`, `${basic.host}/layers:latest`])).code).toBe(0);
      const af = path.join(path.dirname(e.root), 'other-auth.json');
      fs.writeFileSync(af, JSON.stringify({ auths: { [basic.host]: { auth: Buffer.from(`${basic.username}:${basic.password}`).toString('base64') } } }));
      expect((await e.sk(['pull', '--tls-verify=false', '--authfile', af, `${basic.host}/busybox:latest`])).code).toBe(0);
      expect(await e.imageIds()).toHaveLength(2);
    } finally {
      await e.cleanup();
    }
  });
});

describe('token auth', () => {
  it('pulls anonymously with one token for the whole pull', async () => {
    const before = (await fetchTokenStats(token)).requests;
    const r = await s.sk(['pull', '-q', '--tls-verify=false', `${token.host}/layers:latest`]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const stats = await fetchTokenStats(token);
    expect(stats.requests - before).toBe(1);
    const last = stats.log.at(-1)!;
    expect(last.account).toBeUndefined();
    expect(last.scopes).toEqual(['repository:layers:pull']);
  });

  it('logs in through the token server and pulls with the account', async () => {
    const l = await s.sk(['login', '--tls-verify=false', '-u', token.username!, '-p', token.password!, token.host]);
    expect(l.stdout).toBe('Login Succeeded!\n');
    const before = (await fetchTokenStats(token)).requests;
    expect((await s.sk(['pull', '--tls-verify=false', `${token.host}/busybox:latest`])).code).toBe(0);
    const stats = await fetchTokenStats(token);
    expect(stats.requests - before).toBe(1);
    expect(stats.log.at(-1)!.account).toBe(token.username);
    const bad = await s.sk(['login', '--tls-verify=false', '-u', token.username!, '-p', 'nope', token.host]);
    expect(bad.code).toBe(125);
    expect(bad.stderr).toMatch(/authentication to .* failed/);
  });
});
