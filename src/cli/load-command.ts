/**
 * Loads one command module. In the built CLI each command is its own CommonJS bundle next to the
 * entry (dist/cli/commands/NAME.cjs), so start-up parses only the command that runs; from source
 * (tests) it is the TypeScript module.
 */
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { requireWithCodeCache } from './code-cache.js';
import type { CommandModule } from './command-module.js';

export async function loadCommand(name: string): Promise<CommandModule> {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.ts')) {
    const url = pathToFileURL(path.join(path.dirname(here), 'commands', `${name}.ts`)).href;
    return ((await import(url)) as { command: CommandModule }).command;
  }
  return (requireWithCodeCache(path.join(path.dirname(here), 'commands', `${name}.cjs`)) as { command: CommandModule }).command;
}
