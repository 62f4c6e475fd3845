/**
 * One place that turns the failures of the libraries the engine uses into SelkieErrors, for every
 * client that reports errors (the CLI, the varlink service, the bridge): a failure that is not a
 * SelkieError is otherwise shown as a bug.
 */
import { isSelkieError } from './errors.js';
import { sqliteFailure } from './state/sqlite-errors.js';

export function asEngineError(e: unknown): unknown {
  return isSelkieError(e) ? e : (sqliteFailure(e) ?? e);
}
