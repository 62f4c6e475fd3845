/**
 * Docker's lookup of a named object: an exact name or full ID first, then a unique ID prefix
 * (an ambiguous prefix is an error naming it). For tables with `id` and `name` columns.
 */
import { SelkieError } from '../errors.js';
import type { Database } from './database.js';

export function findByNameOrId<Row>(db: Database, table: 'containers' | 'pods', what: string, nameOrId: string): Row | undefined {
  const exact = db.prepare(`SELECT * FROM ${table} WHERE name = ? OR id = ?`).get(nameOrId, nameOrId) as Row | undefined;
  if (exact) return exact;
  if (!/^[0-9a-f]{1,64}$/.test(nameOrId)) return undefined;
  const rows = db.prepare(`SELECT * FROM ${table} WHERE id >= ? AND id < ? || 'g' LIMIT 2`).all(nameOrId, nameOrId) as Row[];
  if (rows.length > 1) throw new SelkieError('conflict', `${what} ID prefix "${nameOrId}" is ambiguous`, { hint: 'give more characters of the ID' });
  return rows[0];
}
