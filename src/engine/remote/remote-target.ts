/**
 * Where a remote engine is: `unix:///path/to/socket` (also unix:/path) or
 * `ssh://[user@]host[:port][/path/to/socket]`, as `--url`, CONTAINER_HOST and named connections give it.
 */
import { usageError } from '../errors.js';
import type { SshTarget } from './ssh-stream.js';

export type RemoteTarget = { kind: 'unix'; path: string } | ({ kind: 'ssh' } & SshTarget);

export function parseRemoteUrl(url: string, identity?: string): RemoteTarget {
  const bad = (why: string) => usageError(`invalid remote URL ${JSON.stringify(url)}: ${why}`, 'use unix:///path/to/socket or ssh://user@host[:port][/path/to/socket]');
  if (url.startsWith('unix:')) {
    const path = url.replace(/^unix:(\/\/)?/, '');
    if (!path.startsWith('/')) throw bad('the socket path must be absolute');
    return { kind: 'unix', path };
  }
  if (url.startsWith('/')) return { kind: 'unix', path: url };
  if (url.startsWith('ssh://')) {
    const m = /^ssh:\/\/(?:([^@/]+)@)?(\[[^\]]+\]|[^:/]+)(?::(\d+))?(\/.*)?$/.exec(url);
    if (!m) throw bad('expected ssh://[user@]host[:port][/path]');
    const port = m[3] ? Number(m[3]) : undefined;
    if (port !== undefined && (port < 1 || port > 65535)) throw bad(`port ${port} is out of range`);
    return { kind: 'ssh', user: m[1] ? decodeURIComponent(m[1]) : undefined, host: m[2]!.replace(/^\[|\]$/g, ''), port, socketPath: m[4] || undefined, identity };
  }
  throw bad('unknown scheme');
}
