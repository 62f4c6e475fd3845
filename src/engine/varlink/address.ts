/**
 * Varlink addresses: `unix:/path/to/socket` (optionally `;mode=0600`), `unix:@name` (an abstract
 * socket), `tcp:HOST:PORT` (`tcp:[::1]:PORT` for IPv6). A bare absolute path means unix:PATH.
 */
import { SelkieError } from '../errors.js';

export type VarlinkAddress =
  | { kind: 'unix'; path: string; mode?: number }
  | { kind: 'tcp'; host: string; port: number };

export function parseVarlinkAddress(text: string): VarlinkAddress {
  const bad = (why: string) =>
    new SelkieError('usage', `invalid varlink address ${JSON.stringify(text)}: ${why}`, { hint: 'use unix:/path/to/socket or tcp:HOST:PORT' });
  if (text.startsWith('/')) return { kind: 'unix', path: text };
  if (text.startsWith('unix:')) {
    const [pathPart = '', ...params] = text.slice(5).split(';');
    if (!pathPart) throw bad('the socket path is empty');
    let mode: number | undefined;
    for (const p of params) {
      const m = /^mode=([0-7]{3,4})$/.exec(p);
      if (!m) throw bad(`unknown parameter ${JSON.stringify(p)} (only mode=0NNN is supported)`);
      mode = parseInt(m[1]!, 8);
    }
    // Linux abstract sockets: a leading NUL in the path.
    return { kind: 'unix', path: pathPart.startsWith('@') ? `\0${pathPart.slice(1)}` : pathPart, mode };
  }
  if (text.startsWith('tcp:')) {
    const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(text.slice(4));
    if (!m) throw bad('expected tcp:HOST:PORT');
    const port = Number(m[3]);
    if (port > 65535) throw bad(`port ${port} is out of range`);
    return { kind: 'tcp', host: m[1] ?? m[2]!, port };
  }
  throw bad('unknown scheme');
}

export function formatVarlinkAddress(a: VarlinkAddress): string {
  if (a.kind === 'tcp') return `tcp:${a.host.includes(':') ? `[${a.host}]` : a.host}:${a.port}`;
  return `unix:${a.path.startsWith('\0') ? `@${a.path.slice(1)}` : a.path}`;
}

/**
 * Split "ADDRESS/METHOD" as the varlink tool takes it: `unix:/run/x/io.podman/io.podman.GetVersion`.
 * The method is the part after the last slash.
 */
export function splitAddressAndMethod(text: string): { address: string; method: string } {
  const slash = text.lastIndexOf('/');
  const method = text.slice(slash + 1);
  if (slash <= 0 || !/^[a-z][a-z0-9.-]*\.[A-Z][A-Za-z0-9]*$/.test(method)) {
    throw new SelkieError('usage', `expected ADDRESS/INTERFACE.METHOD, got ${JSON.stringify(text)}`, {
      hint: 'for example unix:/run/selkie/io.podman/io.podman.GetVersion',
    });
  }
  return { address: text.slice(0, slash), method };
}
