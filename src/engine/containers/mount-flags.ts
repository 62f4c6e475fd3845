/**
 * `-v/--volume`, `--mount` and `--tmpfs` into the container's mounts. Bind mounts of host paths
 * get `nodev` (and `ro` on request) as the product's default; a host path must exist. Named and
 * anonymous volumes come out with their name (empty for anonymous) and no source yet:
 * volumes/volume-mounts.ts creates them and fills in their directory.
 */
import fs from 'node:fs';
import path from 'node:path';
import { usageError } from '../errors.js';

export interface ContainerMount {
  type: 'bind' | 'tmpfs' | 'volume';
  source: string;
  destination: string;
  options: string[];
  /** Volumes: the volume's name ('' until an anonymous one is created). */
  name?: string;
  /** Volumes: made for this container (-v /path, image VOLUME), removed with it by rm -v / --rm. */
  anonymous?: boolean;
  /** Volumes: do not copy the image's content at the mount point into an empty volume. */
  noCopy?: boolean;
  /** `U`: chown the source (recursively) to the container's user when the container starts. */
  chownToUser?: boolean;
}

const bindModes = new Set(['ro', 'rw', 'z', 'Z', 'U', 'nodev', 'dev', 'suid', 'nosuid', 'exec', 'noexec', 'rprivate', 'private', 'rshared', 'shared', 'rslave', 'slave', 'rbind', 'bind']);
const volumeModes = new Set([...bindModes, 'copy', 'nocopy']);
const volumeName = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

/** -v /host:/ctr[:opts], -v NAME:/ctr[:opts] (named volume), -v /ctr (anonymous volume). */
export function parseVolumeFlag(spec: string): ContainerMount {
  const parts = spec.split(':');
  if (parts.length === 1 && parts[0]) return volume('', parts[0], [], spec);
  if (parts.length < 2 || parts.length > 3 || !parts[0] || !parts[1]) {
    throw usageError(`invalid -v "${spec}"`, 'use -v /host/path:/container/path[:ro], -v NAME:/container/path or -v /container/path');
  }
  const [source, destination, opts = ''] = parts as [string, string, string?];
  const named = !source.startsWith('/') && !source.startsWith('.');
  const options = opts ? opts.split(',') : [];
  for (const o of options) {
    if (!(named ? volumeModes : bindModes).has(o)) throw usageError(`invalid option "${o}" in -v "${spec}"`, `options: ro, rw, z, Z, U, nodev, nosuid, noexec${named ? ', nocopy' : ''}, and propagation modes`);
  }
  if (named) {
    if (!volumeName.test(source)) throw usageError(`invalid volume name "${source}" in -v "${spec}"`, 'volume names match [a-zA-Z0-9][a-zA-Z0-9_.-]*; host paths start with / or .');
    return volume(source, destination, options, spec);
  }
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
  if (type === 'volume') {
    const source = kv.get('source') ?? kv.get('src') ?? '';
    if (source && !volumeName.test(source)) throw usageError(`invalid volume name "${source}" in --mount "${spec}"`);
    const opts = readonly ? ['ro'] : [];
    if (kv.get('volume-nocopy') === 'true') opts.push('nocopy');
    return volume(source, target, opts, spec);
  }
  throw usageError(`unsupported --mount type "${type ?? ''}" in "${spec}"`, 'supported: type=bind, type=volume, type=tmpfs');
}

/** A volume mount: nosuid and nodev unless asked otherwise, rbind; copy-up unless nocopy. */
function volume(name: string, destination: string, options: string[], spec: string): ContainerMount {
  checkDestination(destination, spec);
  const opts = options.filter((o) => !['z', 'Z', 'U', 'copy', 'nocopy', 'dev', 'suid', 'rw'].includes(o));
  if (!options.includes('suid')) opts.push('nosuid');
  if (!options.includes('dev')) opts.push('nodev');
  opts.push('rbind');
  return { type: 'volume', source: '', destination: path.posix.normalize(destination).replace(/(.)\/+$/, '$1'), options: opts, name, anonymous: name === '', noCopy: options.includes('nocopy'), ...(options.includes('U') ? { chownToUser: true } : {}) };
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
  return { type: 'bind', source: abs, destination, options: opts.filter((o) => o !== 'dev'), ...(options.includes('U') ? { chownToUser: true } : {}) };
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
