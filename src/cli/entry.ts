/**
 * The `selkie` executable (dist/cli/selkie.cjs): a few lines that load the CLI bundle
 * (dist/cli/main.cjs, from bin.ts) through V8's code cache, so a command does not recompile it.
 */
import path from 'node:path';
import { requireWithCodeCache } from './code-cache.js';
import { needsUsernsReexec, usernsReexec } from './userns-reexec.js';

// Rootless: run again inside the user's user namespace (userns-reexec.ts); root pays one getuid().
if (needsUsernsReexec(process.argv.slice(2))) usernsReexec(process.argv[1]!, process.argv.slice(2));
else requireWithCodeCache(path.join(__dirname, 'main.cjs'));
