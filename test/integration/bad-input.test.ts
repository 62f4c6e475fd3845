import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { busyboxTar, makeSelkieEnv, type SelkieEnv } from '../helpers/selkie-cli.js';

let s: SelkieEnv;
beforeAll(async () => {
  s = makeSelkieEnv({ storageDriver: 'vfs' });
  expect((await s.run(['import', '-', 'localhost/busybox'], { input: await busyboxTar() })).code).toBe(0);
});
afterAll(async () => s.cleanup());

const oneLine = (stderr: string) => {
  expect(stderr.trim().split('\n')).toHaveLength(1);
  expect(stderr).toMatch(/^Error: /);
  expect(stderr).not.toMatch(/\n\s+at /);
};

describe('bad input gets one clear line and exit 125', () => {
  it('a malformed registries.conf names the file and the line', async () => {
    const conf = path.join(s.root, '..', 'bad-registries.conf');
    fs.writeFileSync(conf, 'unqualified-search-registries = ["a",\n[[registry]\nlocation=\n');
    const r = await s.run(['image', 'inspect', 'busybox'], { env: { CONTAINERS_REGISTRIES_CONF: conf } });
    expect(r.code).toBe(125);
    oneLine(r.stderr);
    expect(r.stderr).toContain(conf);
  });

  it('an unreadable registries.conf names the file', async () => {
    const conf = path.join(s.root, '..', 'dir-not-file.conf');
    fs.mkdirSync(conf, { recursive: true });
    const r = await s.run(['image', 'inspect', 'busybox'], { env: { CONTAINERS_REGISTRIES_CONF: conf } });
    expect(r.code).toBe(125);
    oneLine(r.stderr);
    expect(r.stderr).toContain(conf);
  });

  it('a locked state database is reported, not waited on forever', async () => {
    const require = createRequire(import.meta.url);
    const Sqlite = require('better-sqlite3') as typeof import('better-sqlite3');
    const db = new Sqlite(path.join(s.root, 'selkie.db'));
    db.exec('BEGIN EXCLUSIVE');
    try {
      const r = await s.run(['create', 'busybox', 'true'], { env: { SELKIE_DB_BUSY_TIMEOUT_MS: '300' } });
      expect(r.code).toBe(125);
      oneLine(r.stderr);
      expect(r.stderr).toMatch(/state database .*selkie\.db is locked by another process/);
    } finally {
      db.exec('ROLLBACK');
      db.close();
    }
    expect((await s.run(['ps', '-a'])).code).toBe(0);
  });

  it('a corrupt state database is named with what to do', async () => {
    const other = makeSelkieEnv({ storageDriver: 'vfs' });
    try {
      fs.mkdirSync(other.root, { recursive: true });
      fs.writeFileSync(path.join(other.root, 'selkie.db'), Buffer.alloc(8192, 7));
      const r = await other.run(['images']);
      expect(r.code).toBe(125);
      oneLine(r.stderr);
      expect(r.stderr).toMatch(/state database .*selkie\.db is corrupt .*move it away/);
    } finally {
      await other.cleanup();
    }
  });

  it('--log-level=debug adds the stack trace', async () => {
    const r = await s.run(['--log-level=debug', 'create', '--name', 'bad name!', 'busybox', 'true']);
    expect(r.code).toBe(125);
    expect(r.stderr).toContain('invalid container name');
    expect(r.stderr).toMatch(/\n\s+at /);
  });

  it('invalid names and values are refused before anything is created', async () => {
    const bad = await s.run(['create', '--name', 'bad name!', 'busybox', 'true']);
    expect(bad.code).toBe(125);
    expect(bad.stderr).toContain('invalid container name "bad name!"');
    const t = await s.run(['stop', '-t', 'soon', 'x']);
    expect(t.code).toBe(125);
    expect(t.stderr).toContain('invalid --time "soon"');
    const env = await s.run(['run', '--env-file', '/no/such/env', 'busybox', 'true']);
    expect(env.code).toBe(125);
    expect(env.stderr).toContain('cannot read --env-file /no/such/env');
    expect((await s.run(['ps', '-a', '-q'])).stdout).toBe('');
  });
});
