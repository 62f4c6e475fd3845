/**
 * The bridge's one way to get an Engine. Today: the local engine, loaded from the CLI's engine bundle
 * (dist/cli/engine.cjs, next to this bundle's dist/bridge/), or from source under vitest. The varlink
 * RemoteEngine replaces this function only.
 */
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { requireWithCodeCache } from '../cli/code-cache.js';
import type { Engine } from '../engine/engine.js';

export interface EngineConnectionOptions {
  /** --root / --runroot / --storage-driver of the engine's state (default: the host's). */
  root?: string;
  runRoot?: string;
  storageDriver?: 'overlay' | 'vfs';
}

type LocalEngineModule = typeof import('../engine/local/local-engine.js');

async function loadLocalEngineModule(): Promise<LocalEngineModule> {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.ts')) {
    return (await import(pathToFileURL(path.join(path.dirname(here), '..', 'engine', 'local', 'local-engine.ts')).href)) as LocalEngineModule;
  }
  // Through V8's code cache, shared with the CLI (compiling the engine bundle is most of start-up).
  return requireWithCodeCache(path.join(path.dirname(here), '..', 'cli', 'engine.cjs')) as LocalEngineModule;
}

export async function connectEngine(opts: EngineConnectionOptions = {}): Promise<Engine> {
  const { LocalEngine } = await loadLocalEngineModule();
  return new LocalEngine({ root: opts.root, runRoot: opts.runRoot, storageDriver: opts.storageDriver });
}
