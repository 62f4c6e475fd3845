/**
 * The bridge's one way to get an Engine: a RemoteEngine speaking varlink to the engine service —
 * by default the standard socket of this user's engine (`RUNROOT/io.podman`: the system engine when
 * the bridge runs as root, the user's own otherwise), started on demand when nothing listens there
 * (it exits by itself once idle), or any `--url` (unix://…, ssh://…).
 */
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultPaths } from '../engine/config/paths.js';
import type { Engine } from '../engine/engine.js';
import { RemoteEngine } from '../engine/remote/remote-engine.js';
import { formatVarlinkAddress } from '../engine/varlink/address.js';
import { connectOrStartService, defaultServiceAddress } from '../engine/varlink/service-launcher.js';

export interface EngineConnectionOptions {
  /** --root / --runroot / --storage-driver of the engine the started service serves (default: the host's). */
  root?: string;
  runRoot?: string;
  storageDriver?: 'overlay' | 'vfs';
  /** A service elsewhere: unix:///path or ssh://user@host[:port][/path]. Nothing is started then. */
  url?: string;
  /** Idle timeout of a service the bridge starts, in seconds. */
  serviceTimeout?: number;
  debug?: (msg: string) => void;
}

/** What the page is told about the engine it talks to. */
export interface EngineIdentity {
  url: string;
  /** The uid the engine runs as (0: the system engine). */
  uid: number;
  user: string;
}

/** The selkie CLI next to this bridge: dist/cli/selkie.cjs from dist/bridge/, or bin/selkie from source. */
function selkieScript(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  return here.endsWith(`${path.sep}bridge`) && !here.includes(`${path.sep}src${path.sep}`)
    ? path.join(here, '..', 'cli', 'selkie.cjs')
    : path.join(here, '..', '..', 'dist', 'cli', 'selkie.cjs');
}

export async function connectEngine(opts: EngineConnectionOptions = {}): Promise<{ engine: Engine; identity: EngineIdentity }> {
  const me = { uid: process.getuid?.() ?? -1, user: os.userInfo().username };
  if (opts.url) {
    // Nothing is started elsewhere: the service must answer now, or the page hears why.
    const engine = new RemoteEngine(opts.url);
    const info = await engine.system.info();
    const uid = info.host.security.rootless ? -1 : 0;
    return { engine, identity: { url: opts.url, uid, user: uid === 0 ? 'root' : '' } };
  }
  const address = defaultServiceAddress(opts.runRoot ?? defaultPaths().runRoot);
  const probe = await connectOrStartService(address, {
    script: selkieScript(),
    globals: [
      ...(opts.root ? ['--root', opts.root] : []),
      ...(opts.runRoot ? ['--runroot', opts.runRoot] : []),
      ...(opts.storageDriver ? ['--storage-driver', opts.storageDriver] : []),
    ],
    timeoutSeconds: opts.serviceTimeout ?? 30,
    debug: opts.debug,
  });
  const engine = new RemoteEngine({ kind: 'unix', path: address.path });
  // The probe connection is closed only once the engine has its own, so a started service never sees itself idle in between.
  await engine.system.version().finally(() => probe.destroy());
  return { engine, identity: { url: formatVarlinkAddress(address).replace(/^unix:/, 'unix://'), ...me } };
}
