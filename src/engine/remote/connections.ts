/**
 * Named remote connections (`selkie system connection …`): ~/.config/selkie/connections.json
 * ($XDG_CONFIG_HOME honoured), written atomically. And which engine a command uses: --url,
 * --connection, --remote, or the CONTAINER_HOST / CONTAINER_SSHKEY / CONTAINER_CONNECTION
 * environment Podman reads.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { notFound, usageError, invalid } from '../errors.js';
import { writeFileAtomic } from '../util/atomic-file.js';
import { parseRemoteUrl } from './remote-target.js';

export interface NamedConnection {
  url: string;
  identity?: string;
}

export interface ConnectionsFile {
  default?: string;
  connections: Record<string, NamedConnection>;
}

export function connectionsPath(env: NodeJS.ProcessEnv = process.env): string {
  const config = env.XDG_CONFIG_HOME || path.join(env.HOME || os.homedir(), '.config');
  return path.join(config, 'selkie', 'connections.json');
}

export function readConnections(file = connectionsPath()): ConnectionsFile {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { connections: {} };
    throw e;
  }
  try {
    const data = JSON.parse(text) as ConnectionsFile;
    if (typeof data !== 'object' || !data || typeof data.connections !== 'object') throw new Error('no "connections" object');
    return data;
  } catch (e) {
    throw invalid(`cannot read ${file}: ${(e as Error).message}`, 'fix or remove the file (selkie system connection add recreates it)');
  }
}

export function writeConnections(data: ConnectionsFile, file = connectionsPath()): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  writeFileAtomic(file, `${JSON.stringify(data, null, 2)}\n`, 0o600);
}

/** Add (or replace) a connection; the first one becomes the default, as does any with `makeDefault`. */
export function addConnection(name: string, conn: NamedConnection, makeDefault = false, file = connectionsPath()): void {
  if (!/^[\w][\w.-]*$/.test(name)) throw usageError(`invalid connection name ${JSON.stringify(name)}: use letters, digits, '_', '.', '-'`);
  parseRemoteUrl(conn.url, conn.identity);
  const data = readConnections(file);
  data.connections[name] = conn;
  if (makeDefault || !data.default) data.default = name;
  writeConnections(data, file);
}

export function removeConnection(name: string, file = connectionsPath()): void {
  const data = readConnections(file);
  if (!data.connections[name]) throw notFound('connection', name, 'see: selkie system connection list');
  delete data.connections[name];
  if (data.default === name) data.default = Object.keys(data.connections)[0];
  writeConnections(data, file);
}

export function setDefaultConnection(name: string, file = connectionsPath()): void {
  const data = readConnections(file);
  if (!data.connections[name]) throw notFound('connection', name, 'see: selkie system connection list');
  data.default = name;
  writeConnections(data, file);
}

export interface RemoteChoice {
  url?: string;
  identity?: string;
  connection?: string;
  remote?: boolean;
}

/** The remote URL and identity a command should use, or undefined for the local engine. */
export function chooseRemote(g: RemoteChoice, env: NodeJS.ProcessEnv = process.env): NamedConnection | undefined {
  if (g.url) return { url: g.url, identity: g.identity ?? env.CONTAINER_SSHKEY };
  const name = g.connection ?? env.CONTAINER_CONNECTION;
  if (name) {
    const c = readConnections(connectionsPath(env)).connections[name];
    if (!c) throw notFound('connection', name, 'add it with: selkie system connection add NAME URL');
    return { url: c.url, identity: g.identity ?? c.identity };
  }
  if (env.CONTAINER_HOST) return { url: env.CONTAINER_HOST, identity: g.identity ?? env.CONTAINER_SSHKEY };
  if (g.remote) {
    const data = readConnections(connectionsPath(env));
    const c = data.default ? data.connections[data.default] : undefined;
    if (!c) throw usageError('--remote: no default connection', 'add one with: selkie system connection add NAME URL, or give --url');
    return { url: c.url, identity: g.identity ?? c.identity };
  }
  return undefined;
}
