/**
 * Loads the local engine. In the built CLI it is its own bundle (dist/cli/engine.cjs), parsed only
 * by commands that use it, so `--help` and argument errors never pay for it.
 */
import { requireWithCodeCache } from './code-cache.js';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

type LocalEngineModule = typeof import('../engine/local/local-engine.js');

export async function loadLocalEngine(): Promise<LocalEngineModule> {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.ts')) {
    // A computed specifier, so the bundler leaves the engine out of the entry bundle.
    return (await import(pathToFileURL(path.join(path.dirname(here), '..', 'engine', 'local', 'local-engine.ts')).href)) as LocalEngineModule;
  }
  return requireWithCodeCache(path.join(path.dirname(here), 'engine.cjs')) as LocalEngineModule;
}
