/**
 * The state database schema, as an ordered list of migrations. The database records the version it
 * is at (PRAGMA user_version); opening it applies the missing migrations in one transaction.
 * Append new migrations; never edit a released one.
 */
export const migrations: readonly string[] = [
  // 1: images, layers, containers
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

  -- Read-only layers, identified by chain ID (hex, no algorithm prefix).
  CREATE TABLE layers (
    id TEXT PRIMARY KEY,
    parent TEXT REFERENCES layers(id),
    diff_id TEXT NOT NULL,
    uncompressed_size INTEGER NOT NULL,
    compressed_digest TEXT,
    compressed_size INTEGER,
    created INTEGER NOT NULL
  );

  -- Images, identified by the digest of their config (hex).
  CREATE TABLE images (
    id TEXT PRIMARY KEY,
    top_layer TEXT REFERENCES layers(id),
    config TEXT NOT NULL,
    manifest TEXT,
    manifest_type TEXT,
    digest TEXT,
    size INTEGER NOT NULL,
    created INTEGER NOT NULL,
    stored INTEGER NOT NULL
  );
  CREATE TABLE image_names (
    name TEXT PRIMARY KEY,
    image_id TEXT NOT NULL REFERENCES images(id) ON DELETE CASCADE
  );
  CREATE INDEX image_names_by_image ON image_names(image_id);
  CREATE TABLE image_digests (
    image_id TEXT NOT NULL REFERENCES images(id) ON DELETE CASCADE,
    repo_digest TEXT NOT NULL,
    PRIMARY KEY (image_id, repo_digest)
  );

  CREATE TABLE containers (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    image_id TEXT REFERENCES images(id),
    image_name TEXT NOT NULL,
    created INTEGER NOT NULL,
    spec TEXT NOT NULL,
    state TEXT NOT NULL,
    pid INTEGER NOT NULL DEFAULT 0,
    conmon_pid INTEGER NOT NULL DEFAULT 0,
    exit_code INTEGER NOT NULL DEFAULT 0,
    started_at INTEGER NOT NULL DEFAULT 0,
    finished_at INTEGER NOT NULL DEFAULT 0,
    error TEXT NOT NULL DEFAULT ''
  );
  CREATE INDEX containers_by_image ON containers(image_id);
  `,
  // volumes (local driver) and which containers use them
  `
  CREATE TABLE volumes (
    name TEXT PRIMARY KEY,
    driver TEXT NOT NULL,
    created INTEGER NOT NULL,
    labels TEXT NOT NULL,
    options TEXT NOT NULL,
    anonymous INTEGER NOT NULL DEFAULT 0,
    needs_copy_up INTEGER NOT NULL DEFAULT 1
  );
  CREATE TABLE container_volumes (
    container_id TEXT NOT NULL REFERENCES containers(id) ON DELETE CASCADE,
    volume TEXT NOT NULL REFERENCES volumes(name),
    PRIMARY KEY (container_id, volume)
  );
  CREATE INDEX container_volumes_by_volume ON container_volumes(volume);
  `,
  // 3: networks and their IP leases (IPAM; a lease lives from a container's start to its cleanup)
  `
  CREATE TABLE networks (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    driver TEXT NOT NULL,
    bridge TEXT NOT NULL UNIQUE,
    subnet TEXT NOT NULL,
    gateway TEXT NOT NULL,
    internal INTEGER NOT NULL DEFAULT 0,
    dns_enabled INTEGER NOT NULL DEFAULT 0,
    labels TEXT NOT NULL DEFAULT '{}',
    created INTEGER NOT NULL
  );
  CREATE TABLE network_leases (
    network_id TEXT NOT NULL REFERENCES networks(id) ON DELETE CASCADE,
    ip INTEGER NOT NULL,
    container_id TEXT NOT NULL,
    PRIMARY KEY (network_id, ip),
    UNIQUE (network_id, container_id)
  );
  CREATE INDEX network_leases_by_container ON network_leases(container_id);
  `,
  // pods, and which containers belong to one (a pod with members cannot be deleted: the FK refuses)
  `
  CREATE TABLE pods (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    created INTEGER NOT NULL,
    config TEXT NOT NULL,
    infra_id TEXT
  );
  CREATE TABLE pod_members (
    container_id TEXT PRIMARY KEY REFERENCES containers(id) ON DELETE CASCADE,
    pod_id TEXT NOT NULL REFERENCES pods(id)
  );
  CREATE INDEX pod_members_by_pod ON pod_members(pod_id);
  `,
];
