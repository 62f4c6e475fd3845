/** Container records in the state database. Names are unique (a UNIQUE constraint, so two `run`s racing for one name cannot both win). */
import type { Database } from '../state/database.js';
import type { ContainerStatus } from '../types/container.js';
import { SelkieError, notFound } from '../errors.js';
import { findByNameOrId } from '../state/find-by-name.js';
import type { ContainerConfig, ContainerRecord } from './container-record.js';

interface Row {
  id: string;
  name: string;
  image_id: string | null;
  image_name: string;
  created: number;
  spec: string;
  state: string;
  pid: number;
  conmon_pid: number;
  exit_code: number;
  started_at: number;
  finished_at: number;
  error: string;
}

export type StatePatch = Partial<Pick<ContainerRecord, 'state' | 'pid' | 'conmonPid' | 'exitCode' | 'startedAt' | 'finishedAt' | 'error'>>;

const columns: Record<keyof StatePatch, string> = {
  state: 'state',
  pid: 'pid',
  conmonPid: 'conmon_pid',
  exitCode: 'exit_code',
  startedAt: 'started_at',
  finishedAt: 'finished_at',
  error: 'error',
};

export class ContainerStore {
  constructor(private readonly db: Database) {}

  insert(rec: ContainerRecord): void {
    try {
      this.db
        .prepare(
          `INSERT INTO containers(id, name, image_id, image_name, created, spec, state, pid, conmon_pid, exit_code, started_at, finished_at, error)
           VALUES (?, ?, ?, ?, ?, ?, ?, 0, 0, 0, 0, 0, '')`,
        )
        .run(rec.id, rec.name, rec.config.imageId, rec.config.imageName, rec.created, JSON.stringify(rec.config), rec.state);
    } catch (e) {
      if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
        const other = this.db.prepare('SELECT id FROM containers WHERE name = ?').get(rec.name) as { id: string } | undefined;
        throw new SelkieError('conflict', `the container name "${rec.name}" is already in use by ${other?.id.slice(0, 12) ?? 'another container'}`, {
          hint: 'remove that container (selkie rm) or choose another --name',
        });
      }
      throw e;
    }
  }

  nameTaken(name: string): boolean {
    return this.db.prepare('SELECT 1 FROM containers WHERE name = ?').get(name) !== undefined;
  }

  get(id: string): ContainerRecord | undefined {
    const row = this.db.prepare('SELECT * FROM containers WHERE id = ?').get(id) as Row | undefined;
    return row && toRecord(row);
  }

  /** By exact name, full ID, or unique ID prefix. */
  find(nameOrId: string): ContainerRecord | undefined {
    const row = findByNameOrId<Row>(this.db, 'containers', 'container', nameOrId);
    return row && toRecord(row);
  }

  mustFind(nameOrId: string): ContainerRecord {
    const c = this.find(nameOrId);
    if (!c) throw notFound('container', nameOrId, 'list containers with selkie ps -a');
    return c;
  }

  list(): ContainerRecord[] {
    return (this.db.prepare('SELECT * FROM containers ORDER BY created DESC').all() as Row[]).map(toRecord);
  }

  update(id: string, patch: StatePatch): void {
    const keys = Object.keys(patch) as (keyof StatePatch)[];
    if (!keys.length) return;
    const sets = keys.map((k) => `${columns[k]} = @${k}`).join(', ');
    this.db.prepare(`UPDATE containers SET ${sets} WHERE id = @id`).run({ ...patch, id });
  }

  /**
   * Move a container from one of `from` states to `to`, atomically. Returns false when it was not in
   * any of them (another process got there first): the way concurrent CLIs claim a transition.
   */
  transition(id: string, from: readonly ContainerStatus[], to: ContainerStatus, patch: StatePatch = {}): boolean {
    const keys = Object.keys(patch) as (keyof StatePatch)[];
    const sets = [`state = @to`, ...keys.map((k) => `${columns[k]} = @${k}`)].join(', ');
    const placeholders = from.map((_, i) => `@f${i}`).join(', ');
    const params: Record<string, unknown> = { ...patch, id, to };
    from.forEach((f, i) => (params[`f${i}`] = f));
    return this.db.prepare(`UPDATE containers SET ${sets} WHERE id = @id AND state IN (${placeholders})`).run(params).changes === 1;
  }

  delete(id: string): void {
    this.db.prepare('DELETE FROM containers WHERE id = ?').run(id);
  }

  counts(): { total: number; running: number; paused: number; stopped: number } {
    const rows = this.db.prepare('SELECT state, count(*) AS n FROM containers GROUP BY state').all() as { state: string; n: number }[];
    const get = (s: string) => rows.find((r) => r.state === s)?.n ?? 0;
    const total = rows.reduce((a, r) => a + r.n, 0);
    return { total, running: get('running'), paused: get('paused'), stopped: total - get('running') - get('paused') };
  }
}

function toRecord(r: Row): ContainerRecord {
  return {
    id: r.id,
    name: r.name,
    created: r.created,
    config: JSON.parse(r.spec) as ContainerConfig,
    state: r.state as ContainerStatus,
    pid: r.pid,
    conmonPid: r.conmon_pid,
    exitCode: r.exit_code,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    error: r.error,
  };
}
