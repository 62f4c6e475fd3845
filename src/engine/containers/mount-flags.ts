/**
 * `-v/--volume`, `--mount` and `--tmpfs` into the container's mounts. Bind mounts of host paths
 * get `nodev` (and `ro` on request) as the product's default; a host path must exist.
 */
import fs from 'node:fs';
import path from 'node:path';
import { usageError } from '../errors.js';

export interface ContainerMount {
  type: 'bind' | 'tmpfs';
  source: string;
  destination: string;
  options: string[];
}

const bindModes = new Set(['ro', 'rw', 'z', 'Z', 'U', 'nodev', 'dev', 'suid', 'nosuid', 'exec', 'noexec', 'rprivate', 'private', 'rshared', 'shared', 'rslave', 'slave', 'rbind', 'bind']);

/** -v /host:/ctr[:opts]. Named volumes are not handled here (the volumes issue). */
export function parseVolumeFlag(spec: string): ContainerMount {
  const parts = spec.split(':');
  if (parts.length < 2 || parts.length > 3 || !parts[0] || !parts[1]) {
    throw usageError(`invalid -v "${spec}"`, 'use -v /host/path:/container/path[:ro]');
  }
  const [source, destination, opts = ''] = parts as [string, string, string?];
  if (!source.startsWith('/')) {
    throw usageError(`named volume "${source}" in -v "${spec}": named volumes are not supported in this build yet`, 'bind a host directory: -v /host/path:/container/path');
  }
  const options = opts ? opts.split(',') : [];
  for (const o of options) if (!bindModes.has(o)) throw usageError(`invalid option "${o}" in -v "${spec}"`, 'options: ro, rw, z, Z, U, nodev, nosuid, noexec, and propagation modes');
  return bind(source, destination, options, spec);
}

/** --mount type=bind|tmpfs,source=...,target=...[,readonly][,tmpfs-size=...][,tmpfs-mode=...] */
export function parseMountFlag(spec: string): ContainerMount {
  const kv = new Map<string, string>();
  for (const field of spec.split(',')) {
    const eq = field.indexOf('=');
    kv.set(eq < 0 ? field : field.slice(0, eq), eq < 0 ? 'true' : field.slice(eq + 1));
  }
  const type = kv.get('type');
  const target = kv.get('target') ?? kv.get('destination') ?? kv.get('dst');
  if (!target) throw usageError(`invalid --mount "${spec}": no target`, 'use --mount type=bind,source=/host,target=/path');
  const readonly = kv.get('readonly') === 'true' || kv.get('ro') === 'true';
  if (type === 'bind') {
    const source = kv.get('source') ?? kv.get('src');
    if (!source) throw usageError(`invalid --mount "${spec}": no source`);
    return bind(source, target, readonly ? ['ro'] : [], spec);
  }
  if (type === 'tmpfs') {
    const opts = [readonly ? 'ro' : 'rw'];
    if (kv.has('tmpfs-size')) opts.push(`size=${kv.get('tmpfs-size')}`);
    if (kv.has('tmpfs-mode')) opts.push(`mode=${kv.get('tmpfs-mode')}`);
    return tmpfs(target, opts);
  }
  throw usageError(`unsupported --mount type "${type ?? ''}" in "${spec}"`, 'supported: type=bind, type=tmpfs (volumes come with the volume commands)');
}

/** --tmpfs /path[:opts] */
export function parseTmpfsFlag(spec: string): ContainerMount {
  const colon = spec.indexOf(':');
  const destination = colon < 0 ? spec : spec.slice(0, colon);
  return tmpfs(destination, colon < 0 ? [] : spec.slice(colon + 1).split(','));
}

function bind(source: string, destination: string, options: string[], spec: string): ContainerMount {
  checkDestination(destination, spec);
  const abs = path.resolve(source);
  if (!fs.existsSync(abs)) throw usageError(`host path ${abs} in "${spec}" does not exist`, 'create it first, or fix the path');
  const opts = [...options.filter((o) => !['z', 'Z', 'U'].includes(o))];
  if (!opts.includes('dev')) opts.push('nodev');
  return { type: 'bind', source: abs, destination, options: opts.filter((o) => o !== 'dev') };
}

function tmpfs(destination: string, options: string[]): ContainerMount {
  checkDestination(destination, `--tmpfs ${destination}`);
  const opts = options.filter(Boolean);
  for (const d of ['nosuid', 'nodev']) if (!opts.includes(d)) opts.push(d);
  return { type: 'tmpfs', source: 'tmpfs', destination, options: opts };
}

function checkDestination(destination: string, spec: string): void {
  if (!destination.startsWith('/')) throw usageError(`invalid container path "${destination}" in "${spec}": it must be absolute`);
}
