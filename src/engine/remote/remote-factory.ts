/** The one place the CLI gets a remote engine from its global options (bundled as dist/cli/remote-engine.cjs). */
import type { Engine } from '../engine.js';
import { chooseRemote, type RemoteChoice } from './connections.js';
import { RemoteEngine } from './remote-engine.js';

export { RemoteEngine };

/** A RemoteEngine when the options (or CONTAINER_HOST / CONTAINER_CONNECTION) name one, else undefined. */
export function remoteEngineFor(g: RemoteChoice, env: NodeJS.ProcessEnv = process.env): Engine | undefined {
  const c = chooseRemote(g, env);
  return c ? new RemoteEngine(c.url, { identity: c.identity }) : undefined;
}
