/**
 * The state database: SQLite in WAL mode with a busy timeout, so many CLI processes at once stay
 * consistent. Opened lazily by the engine; every multi-row change runs in a transaction.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Sqlite from 'better-sqlite3';
import type BetterSqlite3 from 'better-sqlite3';
import { SelkieError, isSelkieError } from '../errors.js';
import { migrations } from './migrations.js';
import { rememberDatabaseFile, sqliteFailure } from './sqlite-errors.js';

export type Database = BetterSqlite3.Database;

/** How long a command waits for another process's write transaction; SELKIE_DB_BUSY_TIMEOUT_MS overrides. */
const busyTimeoutMs = (): number => Number(process.env.SELKIE_DB_BUSY_TIMEOUT_MS) || 30_000;

/**
 * better-sqlite3's JavaScript is bundled with the engine (so V8's code cache covers it); its native
 * addon is named directly (`nativeBinding`), which skips the `bindings` package's search for it.
 * The addon is looked for in the node_modules next to the running code, as Node would find the package.
 */
function sqliteAddon(): string {
  for (let dir = path.dirname(fileURLToPath(import.meta.url)), i = 0; i < 6; dir = path.dirname(dir), i++) {
    const addon = path.join(dir, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
    if (fs.existsSync(addon)) return addon;
  }
  throw new SelkieError('state', 'cannot find the SQLite module (better-sqlite3 and its built addon) in node_modules', {
    hint: 'run npm start (or npm ci) to install and build the dependencies',
  });
}

export function openDatabase(file: string, opts: { storageDriver: string }): Database {
  const nativeBinding = sqliteAddon();
  rememberDatabaseFile(file);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  let db: Database;
  try {
    db = new Sqlite(file, { timeout: busyTimeoutMs(), nativeBinding });
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    migrate(db);
  } catch (e) {
    throw stateError(file, e);
  }
  try {
    checkDriver(db, file, opts.storageDriver);
  } catch (e) {
    db.close();
    throw isSelkieError(e) ? e : stateError(file, e);
  }
  return db;
}

function migrate(db: Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > migrations.length) {
    throw new SelkieError('state', `state database schema version ${current} is newer than this selkie knows (${migrations.length})`, {
      hint: 'use a newer selkie',
    });
  }
  if (current === migrations.length) return;
  db.transaction(() => {
    // Re-read inside the write transaction: another process may have migrated meanwhile.
    const version = db.pragma('user_version', { simple: true }) as number;
    for (let v = version; v < migrations.length; v++) db.exec(migrations[v]!);
    db.pragma(`user_version = ${migrations.length}`);
  }).immediate();
}

/** The storage driver is fixed when the database is created; a different --storage-driver is an error. */
function checkDriver(db: Database, file: string, driver: string): void {
  db.prepare(`INSERT OR IGNORE INTO meta(key, value) VALUES ('storage_driver', ?)`).run(driver);
  const row = db.prepare(`SELECT value FROM meta WHERE key = 'storage_driver'`).get() as { value: string };
  if (row.value !== driver) {
    throw new SelkieError('state', `storage driver "${driver}" does not match the driver "${row.value}" of the state in ${path.dirname(file)}`, {
      hint: `use --storage-driver ${row.value}, or another --root`,
    });
  }
}

function stateError(file: string, e: unknown): SelkieError {
  const known = sqliteFailure(e, file);
  if (known) return known;
  return new SelkieError('state', `cannot open state database ${file}: ${(e as Error).message ?? String(e)}`, { cause: e });
}
