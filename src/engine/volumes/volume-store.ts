/**
 * Volume records in the state database and their directories GRAPHROOT/volumes/NAME/_data.
 * A volume's row is written in the same transaction that checks its name; `container_volumes` says
 * which containers use it (rows go with the container, ON DELETE CASCADE), so a volume in use
 * cannot be removed (the foreign key refuses it even if two processes race).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Database } from '../state/database.js';
import { SelkieError, conflict, notFound, usageError } from '../errors.js';
import { randomId } from '../util/ids.js';

export interface VolumeRecord {
  name: string;
  driver: string;
  created: number; // unix ms
  labels: Record<string, string>;
  options: Record<string, string>;
  anonymous: boolean;
  needsCopyUp: boolean;
}

interface Row {
  name: string;
  driver: string;
  created: number;
  labels: string;
  options: string;
  anonymous: number;
  needs_copy_up: number;
}

const validName = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
const knownOptions = new Set(['type', 'device', 'o']);

export function checkVolumeName(name: string): void {
  if (!validName.test(name) || name.length > 255) {
    throw usageError(`invalid volume name "${name}"`, 'names match [a-zA-Z0-9][a-zA-Z0-9_.-]*');
  }
}

export class VolumeStore {
  readonly home: string;

  constructor(
    private readonly db: Database,
    graphRoot: string,
  ) {
    this.home = path.join(graphRoot, 'volumes');
  }

  /** The directory containers mount for this volume. */
  dataPath(name: string): string {
    return path.join(this.home, name, '_data');
  }

  /**
   * Create a volume (a random name when none is given). With `existingOk`, a volume of that name is
   * returned as it is (the implicit creation by `-v name:/path`); otherwise the name is a conflict.
   */
  create(opts: { name?: string; driver?: string; labels?: Record<string, string>; options?: Record<string, string>; anonymous?: boolean }, existingOk = false): VolumeRecord {
    const name = opts.name ?? randomId();
    checkVolumeName(name);
    const driver = opts.driver ?? 'local';
    if (driver !== 'local') throw usageError(`volume driver "${driver}" is not supported`, 'use --driver local');
    const options = opts.options ?? {};
    for (const k of Object.keys(options)) {
      if (!knownOptions.has(k)) throw usageError(`invalid volume option "${k}" for the local driver`, 'the local driver takes type, device and o');
    }
    if (options.type && options.type !== 'tmpfs' && options.type !== 'none' && !options.device) {
      throw usageError(`volume option type=${options.type} needs device=`, 'e.g. --opt type=ext4 --opt device=/dev/sdb1');
    }
    if (options.type === 'none' && options.device && !fs.existsSync(options.device)) {
      throw usageError(`volume device ${options.device} does not exist`, 'create the directory first, or fix device=');
    }
    const rec: VolumeRecord = { name, driver, created: Date.now(), labels: opts.labels ?? {}, options, anonymous: Boolean(opts.anonymous), needsCopyUp: true };
    const existing = this.find(name);
    if (existing) {
      if (existingOk) return existing;
      throw conflict(`volume with name "${name}" already exists`, 'choose another name, or remove it with selkie volume rm');
    }
    const dir = path.join(this.home, name);
    fs.mkdirSync(this.home, { recursive: true, mode: 0o700 });
    try {
      this.db
        .prepare('INSERT INTO volumes(name, driver, created, labels, options, anonymous, needs_copy_up) VALUES (?, ?, ?, ?, ?, ?, 1)')
        .run(name, driver, rec.created, JSON.stringify(rec.labels), JSON.stringify(options), rec.anonymous ? 1 : 0);
    } catch (e) {
      if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || (e as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
        const now = this.find(name);
        if (existingOk && now) return now;
        throw conflict(`volume with name "${name}" already exists`, 'choose another name, or remove it with selkie volume rm');
      }
      throw e;
    }
    try {
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      fs.mkdirSync(path.join(dir, '_data'), { recursive: true, mode: 0o755 });
    } catch (e) {
      this.db.prepare('DELETE FROM volumes WHERE name = ?').run(name);
      throw new SelkieError('state', `cannot create the directory of volume ${name}: ${(e as Error).message}`);
    }
    return rec;
  }

  find(name: string): VolumeRecord | undefined {
    const row = this.db.prepare('SELECT * FROM volumes WHERE name = ?').get(name) as Row | undefined;
    return row && toRecord(row);
  }

  /** By exact name, or a unique prefix of one (as Podman does). */
  mustFind(name: string): VolumeRecord {
    const exact = this.find(name);
    if (exact) return exact;
    if (validName.test(name)) {
      const rows = this.db.prepare("SELECT * FROM volumes WHERE name >= ? AND name < ? || char(127) LIMIT 2").all(name, name) as Row[];
      if (rows.length === 1) return toRecord(rows[0]!);
      if (rows.length > 1) throw conflict(`volume name prefix "${name}" is ambiguous`, 'give the full name');
    }
    throw notFound('volume', name, 'list volumes with selkie volume ls');
  }

  list(): VolumeRecord[] {
    return (this.db.prepare('SELECT * FROM volumes ORDER BY name').all() as Row[]).map(toRecord);
  }

  /** IDs of the containers that use a volume. */
  users(name: string): string[] {
    return (this.db.prepare('SELECT container_id FROM container_volumes WHERE volume = ?').all(name) as { container_id: string }[]).map((r) => r.container_id);
  }

  /** How many running containers have the volume mounted. */
  mountCount(name: string): number {
    return (this.db.prepare("SELECT count(*) AS n FROM container_volumes cv JOIN containers c ON c.id = cv.container_id WHERE cv.volume = ? AND c.state IN ('running', 'paused')").get(name) as { n: number }).n;
  }

  /** Record that a container uses these volumes. */
  addUses(containerId: string, names: readonly string[]): void {
    if (!names.length) return; // no write transaction for the common case
    const add = this.db.prepare('INSERT OR IGNORE INTO container_volumes(container_id, volume) VALUES (?, ?)');
    this.db.transaction(() => {
      for (const n of names) add.run(containerId, n);
    }).immediate();
  }

  /** The volume has been mounted once: no copy-up of image content any more. */
  copiedUp(name: string): void {
    this.db.prepare('UPDATE volumes SET needs_copy_up = 0 WHERE name = ?').run(name);
  }

  /**
   * Delete a volume's record (refused while a container uses it), then its directory. Returns false
   * when it was already gone.
   */
  remove(name: string): boolean {
    const removed = this.db.transaction(() => {
      const users = this.users(name);
      if (users.length) {
        throw conflict(`volume ${name} is being used by container ${users.map((u) => u.slice(0, 12)).join(', ')}`, 'remove the container first, or use volume rm --force');
      }
      return this.db.prepare('DELETE FROM volumes WHERE name = ?').run(name).changes > 0;
    }).immediate();
    if (removed) {
      const dir = path.join(this.home, name);
      const doomed = path.join(this.home, `.rm-${process.pid}-${randomId().slice(0, 8)}`);
      try {
        fs.renameSync(dir, doomed);
        fs.rmSync(doomed, { recursive: true, force: true });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      }
    }
    return removed;
  }
}

function toRecord(r: Row): VolumeRecord {
  return {
    name: r.name,
    driver: r.driver,
    created: r.created,
    labels: JSON.parse(r.labels) as Record<string, string>,
    options: JSON.parse(r.options) as Record<string, string>,
    anonymous: r.anonymous === 1,
    needsCopyUp: r.needs_copy_up === 1,
  };
}
