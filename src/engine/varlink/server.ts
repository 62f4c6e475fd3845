/**
 * The varlink server: listens on unix or TCP addresses, or on sockets inherited through systemd
 * socket activation, and serves each connection with a VarlinkConnection. With an idle timeout it
 * reports `onIdle` once no client has been connected for that long (the service then exits, so
 * there is no long-lived daemon).
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { SelkieError } from '../errors.js';
import type { VarlinkAddress } from './address.js';
import { formatVarlinkAddress } from './address.js';
import { VarlinkConnection, type ConnectionOptions } from './connection.js';
import type { VarlinkService } from './service.js';

export interface ServerOptions extends ConnectionOptions {
  /** Milliseconds without any connection after which onIdle runs; 0 or absent = never. */
  idleTimeoutMs?: number;
  onIdle?: () => void;
}

export class VarlinkServer {
  private readonly servers: net.Server[] = [];
  /** Socket files this server created (removed on close); inherited sockets are not ours. */
  private readonly ownedPaths: string[] = [];
  private readonly connections = new Set<net.Socket>();
  private idleTimer?: NodeJS.Timeout;

  constructor(
    private readonly service: VarlinkService,
    private readonly opts: ServerOptions = {},
  ) {}

  /** Listen on an address. A stale socket file at a unix path is replaced. Resolves once listening. */
  async listen(address: VarlinkAddress): Promise<void> {
    const server = this.createServer();
    if (address.kind === 'unix') {
      const abstract = address.path.startsWith('\0');
      if (!abstract) {
        fs.mkdirSync(path.dirname(address.path), { recursive: true, mode: 0o700 });
        await removeStaleSocket(address.path);
      }
      await listenOn(server, { path: address.path }, formatVarlinkAddress(address), abstract ? undefined : 0o177);
      if (!abstract) {
        this.ownedPaths.push(address.path);
        fs.chmodSync(address.path, address.mode ?? 0o600);
      }
    } else {
      await listenOn(server, { host: address.host, port: address.port }, formatVarlinkAddress(address));
    }
    this.servers.push(server);
    this.armIdleTimer();
  }

  /** Serve on an inherited listening socket (socket activation). */
  async listenOnFd(fd: number): Promise<void> {
    const server = this.createServer();
    await listenOn(server, { fd }, `inherited socket (fd ${fd})`);
    this.servers.push(server);
    this.armIdleTimer();
  }

  /** The bound TCP port of the first TCP listener (for tcp:HOST:0). */
  tcpPort(): number | undefined {
    for (const s of this.servers) {
      const a = s.address();
      if (a && typeof a === 'object') return a.port;
    }
    return undefined;
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  /** Stop listening, close every connection, remove the socket files this server created. */
  async close(): Promise<void> {
    clearTimeout(this.idleTimer);
    for (const c of this.connections) c.destroy();
    await Promise.all(this.servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    this.servers.length = 0;
    for (const p of this.ownedPaths.splice(0)) fs.rmSync(p, { force: true });
  }

  private createServer(): net.Server {
    return net.createServer((socket) => {
      clearTimeout(this.idleTimer);
      this.connections.add(socket);
      new VarlinkConnection(socket, this.service, this.opts);
      socket.on('close', () => {
        this.connections.delete(socket);
        this.armIdleTimer();
      });
    });
  }

  private armIdleTimer(): void {
    clearTimeout(this.idleTimer);
    const ms = this.opts.idleTimeoutMs ?? 0;
    if (ms <= 0 || !this.opts.onIdle || this.connections.size > 0) return;
    this.idleTimer = setTimeout(() => {
      if (this.connections.size === 0) this.opts.onIdle?.();
    }, ms);
  }
}

/** `umask`: the socket file is born with its final permissions, so no client connects before the chmod. */
function listenOn(server: net.Server, options: net.ListenOptions | { fd: number }, what: string, umask?: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException) =>
      reject(
        new SelkieError('runtime', `cannot listen on ${what}: ${e.message}`, {
          hint: e.code === 'EADDRINUSE' ? 'another service is listening there; stop it or choose another address' : 'check the address and its permissions',
        }),
      );
    server.once('error', onError);
    const previous = umask === undefined ? undefined : setUmask(umask);
    try {
      // Node takes { fd } (an inherited listening socket) as a handle. A unix socket is bound synchronously.
      server.listen(options as net.ListenOptions, () => {
        server.off('error', onError);
        resolve();
      });
    } finally {
      if (previous !== undefined) setUmask(previous);
    }
  });
}

/** process.umask, which worker threads may not call (then the chmod after listen must do). */
function setUmask(mask: number): number | undefined {
  try {
    return process.umask(mask);
  } catch {
    return undefined;
  }
}

/** A socket file nobody listens on is left over from a service that died; anything else is an error. */
async function removeStaleSocket(p: string): Promise<void> {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(p);
  } catch {
    return;
  }
  if (!st.isSocket()) {
    throw new SelkieError('conflict', `cannot listen on unix:${p}: a file that is not a socket is in the way`, { hint: 'remove it or choose another address' });
  }
  const live = await new Promise<boolean>((resolve) => {
    const probe = net.connect({ path: p }, () => {
      probe.destroy();
      resolve(true);
    });
    probe.on('error', () => resolve(false));
  });
  if (live) throw new SelkieError('conflict', `cannot listen on unix:${p}: another service is listening there`, { hint: 'stop it or choose another address' });
  fs.rmSync(p, { force: true });
}
