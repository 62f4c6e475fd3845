/**
 * Image and layer records in the state database. Names are stored fully qualified
 * (localhost/busybox:latest); lookups accept names, full or short IDs and digests.
 */
import type { Database } from '../state/database.js';
import type { ImageConfig } from '../types/image.js';
import { SelkieError, notFound } from '../errors.js';
import { stripAlgorithm } from '../util/ids.js';

export interface ImageRecord {
  id: string; // config digest, hex
  topLayer: string | null; // chain ID hex of the top layer
  config: ImageConfig;
  configRaw: string;
  manifest: string | null;
  manifestType: string | null;
  digest: string | null; // manifest digest "sha256:..."
  size: number;
  created: number; // unix seconds, from the config
  stored: number; // unix seconds, when this host stored it
  names: string[];
  repoDigests: string[];
}

export interface LayerRecord {
  id: string;
  parent: string | null;
  diffId: string;
  uncompressedSize: number;
  compressedDigest: string | null;
  compressedSize: number | null;
}

interface ImageRow {
  id: string;
  top_layer: string | null;
  config: string;
  manifest: string | null;
  manifest_type: string | null;
  digest: string | null;
  size: number;
  created: number;
  stored: number;
}

export class ImageStore {
  constructor(private readonly db: Database) {}

  /** All images with their names and digests, newest first. */
  list(): ImageRecord[] {
    const rows = this.db.prepare('SELECT * FROM images ORDER BY created DESC, stored DESC').all() as ImageRow[];
    const names = groupBy(this.db.prepare('SELECT image_id AS k, name AS v FROM image_names ORDER BY name').all() as KV[]);
    const digests = groupBy(this.db.prepare('SELECT image_id AS k, repo_digest AS v FROM image_digests').all() as KV[]);
    return rows.map((r) => toRecord(r, names.get(r.id) ?? [], digests.get(r.id) ?? []));
  }

  get(id: string): ImageRecord | undefined {
    const row = this.db.prepare('SELECT * FROM images WHERE id = ?').get(id) as ImageRow | undefined;
    if (!row) return undefined;
    const names = (this.db.prepare('SELECT name FROM image_names WHERE image_id = ? ORDER BY name').all(id) as { name: string }[]).map((r) => r.name);
    const digests = (this.db.prepare('SELECT repo_digest FROM image_digests WHERE image_id = ?').all(id) as { repo_digest: string }[]).map((r) => r.repo_digest);
    return toRecord(row, names, digests);
  }

  /**
   * Find an image by one of `candidates` (fully qualified names, tried in order), or by ID,
   * ID prefix, "sha256:ID", or a repo digest. Returns undefined when nothing matches.
   */
  find(input: string, candidates: readonly string[]): ImageRecord | undefined {
    const byName = this.db.prepare('SELECT image_id FROM image_names WHERE name = ?');
    for (const c of candidates) {
      const hit = byName.get(c) as { image_id: string } | undefined;
      if (hit) return this.get(hit.image_id);
    }
    const hex = stripAlgorithm(input);
    if (/^[0-9a-f]{1,64}$/.test(hex)) {
      const rows = this.db.prepare("SELECT id FROM images WHERE id >= ? AND id < ? || 'g' LIMIT 2").all(hex, hex) as { id: string }[];
      if (rows.length > 1) {
        throw new SelkieError('conflict', `image ID prefix "${hex}" is ambiguous`, { hint: 'give more characters of the ID' });
      }
      if (rows.length === 1) return this.get(rows[0]!.id);
    }
    if (input.includes('@sha256:')) {
      const hit = this.db.prepare('SELECT image_id FROM image_digests WHERE repo_digest = ?').get(input) as { image_id: string } | undefined;
      if (hit) return this.get(hit.image_id);
      const digest = input.slice(input.indexOf('@') + 1);
      const byDigest = this.db.prepare('SELECT id FROM images WHERE digest = ?').get(digest) as { id: string } | undefined;
      if (byDigest) return this.get(byDigest.id);
    }
    return undefined;
  }

  /** Local-only fallback for short names: stored names whose repository ends in /NAME (Podman's behaviour). */
  findBySuffix(pathAndTag: string): ImageRecord | undefined {
    const rows = this.db.prepare("SELECT image_id FROM image_names WHERE name LIKE '%/' || ?").all(pathAndTag) as { image_id: string }[];
    const ids = [...new Set(rows.map((r) => r.image_id))];
    if (ids.length > 1) {
      throw new SelkieError('conflict', `short name "${pathAndTag}" matches several local images`, { hint: 'use the fully qualified name' });
    }
    return ids.length === 1 ? this.get(ids[0]!) : undefined;
  }

  mustGet(id: string): ImageRecord {
    const rec = this.get(id);
    if (!rec) throw notFound('image', id);
    return rec;
  }

  /**
   * Insert (or refresh) an image with its new layers, names and digests in one transaction.
   * A name moves from any image that had it.
   */
  save(
    rec: Omit<ImageRecord, 'names' | 'repoDigests'>,
    extra: { names?: readonly string[]; repoDigests?: readonly string[]; layers?: readonly LayerRecord[] } = {},
  ): void {
    const { names = [], repoDigests = [], layers = [] } = extra;
    const tx = this.db.transaction(() => {
      for (const l of layers) this.addLayer(l);
      this.db
        .prepare(
          `INSERT INTO images(id, top_layer, config, manifest, manifest_type, digest, size, created, stored)
           VALUES (@id, @topLayer, @configRaw, @manifest, @manifestType, @digest, @size, @created, @stored)
           ON CONFLICT(id) DO UPDATE SET manifest = COALESCE(excluded.manifest, manifest),
             manifest_type = COALESCE(excluded.manifest_type, manifest_type), digest = COALESCE(excluded.digest, digest)`,
        )
        .run(rec);
      for (const n of names) this.setName(n, rec.id);
      const addDigest = this.db.prepare('INSERT OR IGNORE INTO image_digests(image_id, repo_digest) VALUES (?, ?)');
      for (const d of repoDigests) addDigest.run(rec.id, d);
    });
    tx.immediate();
  }

  setName(name: string, imageId: string): void {
    this.db.prepare('INSERT INTO image_names(name, image_id) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET image_id = excluded.image_id').run(name, imageId);
  }

  removeName(name: string): boolean {
    return this.db.prepare('DELETE FROM image_names WHERE name = ?').run(name).changes > 0;
  }

  /** Delete the image record (names and digests cascade). */
  delete(id: string): void {
    this.db.prepare('DELETE FROM images WHERE id = ?').run(id);
  }

  count(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM images').get() as { n: number }).n;
  }

  // ---- layers ----

  getLayer(id: string): LayerRecord | undefined {
    const r = this.db.prepare('SELECT * FROM layers WHERE id = ?').get(id) as
      | { id: string; parent: string | null; diff_id: string; uncompressed_size: number; compressed_digest: string | null; compressed_size: number | null }
      | undefined;
    return r && { id: r.id, parent: r.parent, diffId: r.diff_id, uncompressedSize: r.uncompressed_size, compressedDigest: r.compressed_digest, compressedSize: r.compressed_size };
  }

  addLayer(l: LayerRecord): void {
    this.db
      .prepare(
        `INSERT OR IGNORE INTO layers(id, parent, diff_id, uncompressed_size, compressed_digest, compressed_size, created)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(l.id, l.parent, l.diffId, l.uncompressedSize, l.compressedDigest, l.compressedSize, Math.floor(Date.now() / 1000));
  }

  /** Layers that no image's chain reaches any more (to delete from the driver, top first). */
  unreferencedLayers(): string[] {
    const rows = this.db
      .prepare(
        `WITH RECURSIVE used(id) AS (
           SELECT top_layer FROM images WHERE top_layer IS NOT NULL
           UNION SELECT l.parent FROM layers l JOIN used u ON l.id = u.id WHERE l.parent IS NOT NULL)
         SELECT id, parent FROM layers WHERE id NOT IN (SELECT id FROM used)`,
      )
      .all() as { id: string; parent: string | null }[];
    return childrenFirst(rows);
  }

  deleteLayer(id: string): void {
    this.db.prepare('DELETE FROM layers WHERE id = ?').run(id);
  }
}

/**
 * Order layers so that each comes before its parent (a layer's row references its parent, so the
 * parent can only be deleted after it). Layers of one pull share a creation time: order by chain.
 */
function childrenFirst(rows: { id: string; parent: string | null }[]): string[] {
  const remaining = new Map(rows.map((r) => [r.id, r.parent]));
  const out: string[] = [];
  while (remaining.size) {
    const parents = new Set([...remaining.values()].filter((p): p is string => p !== null && remaining.has(p)));
    const leaves = [...remaining.keys()].filter((id) => !parents.has(id));
    for (const id of leaves) {
      out.push(id);
      remaining.delete(id);
    }
  }
  return out;
}

type KV = { k: string; v: string };
function groupBy(rows: KV[]): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const { k, v } of rows) {
    const a = m.get(k);
    if (a) a.push(v);
    else m.set(k, [v]);
  }
  return m;
}

function toRecord(r: ImageRow, names: string[], repoDigests: string[]): ImageRecord {
  return {
    id: r.id,
    topLayer: r.top_layer,
    config: JSON.parse(r.config) as ImageConfig,
    configRaw: r.config,
    manifest: r.manifest,
    manifestType: r.manifest_type,
    digest: r.digest,
    size: r.size,
    created: r.created,
    stored: r.stored,
    names,
    repoDigests,
  };
}
