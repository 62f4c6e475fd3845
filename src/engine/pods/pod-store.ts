/**
 * Pod records and memberships in the state database. A pod's name is unique; a container belongs to
 * at most one pod, and a pod that still has members cannot be deleted (the foreign key refuses), so
 * a `pod rm` racing a `run --pod` leaves either the pod with its new member or neither.
 */
import type { Database } from '../state/database.js';
import { SelkieError, notFound } from '../errors.js';
import { findByNameOrId } from '../state/find-by-name.js';
import type { PodExitPolicy, PodNamespace } from '../types/pod.js';

/** Everything fixed when the pod is created (the `config` column, JSON). */
export interface PodConfig {
  share: PodNamespace[];
  hostname: string;
  labels: Record<string, string>;
  cgroupParent: string;
  infra: boolean;
  /** The infra container's network settings as given (for inspect). */
  publish: string[];
  network: string[];
  addHosts: string[];
  dns: string[];
  createCommand: string[];
  /** Absent in records made before exit policies existed: continue. */
  exitPolicy?: PodExitPolicy;
}

export interface PodRecord {
  id: string;
  name: string;
  created: number; // unix ms
  config: PodConfig;
  infraId: string | null;
}

interface Row {
  id: string;
  name: string;
  created: number;
  config: string;
  infra_id: string | null;
}

const toRecord = (r: Row): PodRecord => ({ id: r.id, name: r.name, created: r.created, config: JSON.parse(r.config) as PodConfig, infraId: r.infra_id });

export class PodStore {
  constructor(private readonly db: Database) {}

  insert(rec: PodRecord): void {
    try {
      this.db.prepare('INSERT INTO pods(id, name, created, config, infra_id) VALUES (?, ?, ?, ?, ?)').run(rec.id, rec.name, rec.created, JSON.stringify(rec.config), rec.infraId);
    } catch (e) {
      if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
        throw new SelkieError('conflict', `the pod name "${rec.name}" is already in use`, { hint: 'remove that pod (selkie pod rm) or choose another --name' });
      }
      throw e;
    }
  }

  setInfra(podId: string, infraId: string): void {
    this.db.prepare('UPDATE pods SET infra_id = ? WHERE id = ?').run(infraId, podId);
  }

  /** By exact name, full ID, or unique ID prefix. */
  find(nameOrId: string): PodRecord | undefined {
    const row = findByNameOrId<Row>(this.db, 'pods', 'pod', nameOrId);
    return row && toRecord(row);
  }

  mustFind(nameOrId: string): PodRecord {
    const p = this.find(nameOrId);
    if (!p) throw notFound('pod', nameOrId, 'list pods with selkie pod ps');
    return p;
  }

  list(): PodRecord[] {
    return (this.db.prepare('SELECT * FROM pods ORDER BY created DESC').all() as Row[]).map(toRecord);
  }

  /** Record that a container belongs to a pod. Fails (not found) when the pod was removed meanwhile. */
  addMember(podId: string, containerId: string): void {
    try {
      this.db.prepare('INSERT INTO pod_members(container_id, pod_id) VALUES (?, ?)').run(containerId, podId);
    } catch (e) {
      if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_FOREIGNKEY') throw notFound('pod', podId, 'it was removed meanwhile');
      throw e;
    }
  }

  /** Container IDs of the pod's members (the infra container included). */
  members(podId: string): string[] {
    return (this.db.prepare('SELECT container_id FROM pod_members WHERE pod_id = ?').all(podId) as { container_id: string }[]).map((r) => r.container_id);
  }

  /** Pod ID of every container that is in a pod. */
  membership(): Map<string, string> {
    const rows = this.db.prepare('SELECT container_id, pod_id FROM pod_members').all() as { container_id: string; pod_id: string }[];
    return new Map(rows.map((r) => [r.container_id, r.pod_id]));
  }

  /** Delete the pod record; refuses while containers still belong to it. */
  delete(podId: string): void {
    try {
      this.db.prepare('DELETE FROM pods WHERE id = ?').run(podId);
    } catch (e) {
      if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
        throw new SelkieError('conflict', `pod ${podId.slice(0, 12)} still has containers`, { hint: 'remove them first, or use selkie pod rm -f' });
      }
      throw e;
    }
  }
}
