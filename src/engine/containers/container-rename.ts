/** Renaming a container: the name column is UNIQUE, so a name in use fails atomically. */
import { SelkieError, conflict, usageError } from '../errors.js';
import type { Resources } from '../local/resources.js';
import type { ContainerRecord } from './container-record.js';
import { validName } from './name-generator.js';

export async function renameContainer(res: Resources, c: ContainerRecord, newName: string): Promise<void> {
  const name = newName.replace(/^\//, '');
  if (!validName(name)) throw usageError(`invalid container name "${newName}"`, 'names match [a-zA-Z0-9][a-zA-Z0-9_.-]*');
  if (name === c.name) return;
  if (c.state === 'removing') throw conflict(`container ${c.name} is being removed, so it cannot be renamed`);
  const db = await res.db();
  try {
    db.prepare('UPDATE containers SET name = ? WHERE id = ?').run(name, c.id);
  } catch (e) {
    if ((e as { code?: string }).code !== 'SQLITE_CONSTRAINT_UNIQUE') throw e;
    const other = db.prepare('SELECT id FROM containers WHERE name = ?').get(name) as { id: string } | undefined;
    throw new SelkieError('conflict', `cannot rename container ${c.name} to "${name}": the name is already in use by ${other?.id.slice(0, 12) ?? 'another container'}`, {
      hint: 'choose another name, or remove that container first',
    });
  }
}
