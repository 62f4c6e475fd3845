/**
 * The `selkie` executable (dist/cli/selkie.cjs): a few lines that load the CLI bundle
 * (dist/cli/main.cjs, from bin.ts) through V8's code cache, so a command does not recompile it.
 */
import path from 'node:path';
import { requireWithCodeCache } from './code-cache.js';
import { takeInheritedSpawner } from './inherited-spawner.js';
import { takeLauncherArgv0 } from './launcher.js';
import { needsUsernsReexec, usernsReexec } from './userns-reexec.js';

takeInheritedSpawner(); // the launcher's program spawner, if it started one
// Run by the native launcher (bin/selkie): it already entered the user namespace where one is needed.
// Run directly (rootless): run again inside the user's namespace (userns-reexec.ts); root pays one getuid().
if (!takeLauncherArgv0() && needsUsernsReexec(process.argv.slice(2))) usernsReexec(process.argv[1]!, process.argv.slice(2));
else requireWithCodeCache(path.join(__dirname, 'main.cjs'));
