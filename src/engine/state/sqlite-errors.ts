/**
 * SQLite's failures (better-sqlite3's SqliteError, which carries SQLite's result code) as SelkieErrors
 * a user can act on. The database is opened once per process, so its file is remembered here for
 * the messages of failures that come later, from any statement.
 */
import { SelkieError } from '../errors.js';

let databaseFile: string | undefined;

/** The file openDatabase opened (named in later messages). */
export function rememberDatabaseFile(file: string): void {
  databaseFile = file;
}

const sqliteCode = (e: unknown): string | undefined => {
  if (typeof e !== 'object' || e === null || (e as Error).name !== 'SqliteError') return undefined;
  const code = (e as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
};

/** The SelkieError for a SqliteError; undefined for anything else. */
export function sqliteFailure(e: unknown, file?: string): SelkieError | undefined {
  const code = sqliteCode(e);
  if (code === undefined) return undefined;
  const where = file ?? databaseFile;
  const what = where ? `state database ${where}` : 'the state database';
  const msg = (e as Error).message;
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new SelkieError('state', `${what} is locked by another process`, {
      hint: `wait for it to finish and try again${where ? `, or find it with: fuser ${where}` : ''}`,
      cause: e,
    });
  }
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') {
    return new SelkieError('state', `${what} is corrupt (${msg})`, {
      hint: 'move it away (selkie then starts with empty state) or use another --root',
      cause: e,
    });
  }
  if (code === 'SQLITE_FULL') return new SelkieError('state', `cannot write ${what}: the disk is full`, { hint: 'free some space and try again', cause: e });
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_IOERR')) {
    return new SelkieError('state', `cannot use ${what}: ${msg} (${code})`, { hint: 'check the permissions and the file system of the storage root', cause: e });
  }
  return undefined;
}
