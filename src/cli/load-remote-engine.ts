/**
 * Loads the remote engine (dist/cli/remote-engine.cjs in the built CLI: the varlink client, no
 * local engine), so only commands run with --url/--connection/--remote parse it.
 */
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { requireWithCodeCache } from './code-cache.js';

type RemoteEngineModule = typeof import('../engine/remote/remote-factory.js');

export async function loadRemoteEngine(): Promise<RemoteEngineModule> {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.ts')) {
    return (await import(pathToFileURL(path.join(path.dirname(here), '..', 'engine', 'remote', 'remote-factory.ts')).href)) as RemoteEngineModule;
  }
  return requireWithCodeCache(path.join(path.dirname(here), 'remote-engine.cjs')) as RemoteEngineModule;
}
