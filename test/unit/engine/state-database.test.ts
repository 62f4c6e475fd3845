import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/engine/state/database.js';
import { migrations } from '../../../src/engine/state/migrations.js';
import { SelkieError } from '../../../src/engine/errors.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'selkie-db-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('state database', () => {
  it('creates the schema in WAL mode at the latest version', () => {
    const db = openDatabase(path.join(dir, 'selkie.db'), { storageDriver: 'vfs' });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.length);
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type='table'").all() as { name: string }[]).map((t) => t.name);
    expect(tables).toEqual(expect.arrayContaining(['images', 'layers', 'image_names', 'containers', 'meta']));
    db.close();
  });

  it('reopens without migrating twice', () => {
    openDatabase(path.join(dir, 'selkie.db'), { storageDriver: 'vfs' }).close();
    const db = openDatabase(path.join(dir, 'selkie.db'), { storageDriver: 'vfs' });
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.length);
    db.close();
  });

  it('refuses a different storage driver than the one the state was made with', () => {
    openDatabase(path.join(dir, 'selkie.db'), { storageDriver: 'vfs' }).close();
    expect(() => openDatabase(path.join(dir, 'selkie.db'), { storageDriver: 'overlay' })).toThrow(/storage driver "overlay" does not match the driver "vfs"/);
  });

  it('reports a corrupt database as a state error naming the file', () => {
    const file = path.join(dir, 'selkie.db');
    fs.writeFileSync(file, 'this is not a database, just text that is long enough to have a header...'.repeat(20));
    let err: unknown;
    try {
      openDatabase(file, { storageDriver: 'vfs' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SelkieError);
    expect((err as SelkieError).kind).toBe('state');
    expect((err as SelkieError).message).toContain(file);
    expect((err as SelkieError).exitCode).toBe(125);
  });

  it('refuses a schema newer than this build knows', () => {
    const file = path.join(dir, 'selkie.db');
    const db = openDatabase(file, { storageDriver: 'vfs' });
    db.pragma(`user_version = ${migrations.length + 5}`);
    db.close();
    expect(() => openDatabase(file, { storageDriver: 'vfs' })).toThrow(/newer than this selkie knows/);
  });
});

describe('SQLite failures after the open', () => {
  it('a write that finds the database locked is a state error naming the file, for every client', async () => {
    const { asEngineError } = await import('../../../src/engine/engine-error.js');
    const file = path.join(dir, 'selkie.db');
    const holder = openDatabase(file, { storageDriver: 'vfs' });
    process.env.SELKIE_DB_BUSY_TIMEOUT_MS = '1';
    let db;
    try {
      db = openDatabase(file, { storageDriver: 'vfs' });
    } finally {
      delete process.env.SELKIE_DB_BUSY_TIMEOUT_MS;
    }
    holder.prepare('BEGIN IMMEDIATE').run();
    let thrown: unknown;
    try {
      db.prepare("INSERT INTO meta(key, value) VALUES ('x', 'y')").run();
    } catch (e) {
      thrown = e;
    }
    holder.prepare('ROLLBACK').run();
    expect((thrown as Error).name).toBe('SqliteError');
    const e = asEngineError(thrown) as SelkieError;
    expect(e).toBeInstanceOf(SelkieError);
    expect(e.kind).toBe('state');
    expect(e.exitCode).toBe(125);
    expect(e.message).toBe(`state database ${file} is locked by another process`);
    expect(e.hint).toContain(`fuser ${file}`);
    const other = new Error('something else');
    expect(asEngineError(other)).toBe(other);
    db.close();
    holder.close();
  });
});
