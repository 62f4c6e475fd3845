/**
 * The native launcher (build/native/selkie, native/conmon/selkie-launcher.c; bin/selkie points at it)
 * enters a rootless user's namespace itself and execs Node once on dist/cli/selkie.cjs. It says so in
 * `_SELKIE_LAUNCHED_AS`: the path it was run by, which becomes process.argv[1] as a `#!` script's
 * would (what `generate systemd` and a container's CreateCommand show). process.argv[1] may therefore
 * be the launcher, not a script: to run the CLI again under Node, use `cliScript()`.
 */
import path from 'node:path';

export const LAUNCHED_AS_ENV = '_SELKIE_LAUNCHED_AS';
/** Where the launcher moved NODE_EXTRA_CA_CERTS, so that Node did not parse those certificates at start-up. */
const DEFERRED_EXTRA_CA_ENV = '_SELKIE_EXTRA_CA_CERTS';

/** Whether the launcher started this process; if so, its path goes to process.argv[1] and leaves the environment (children do not inherit it). */
export function takeLauncherArgv0(): boolean {
  const launchedAs = process.env[LAUNCHED_AS_ENV];
  if (launchedAs === undefined) return false;
  delete process.env[LAUNCHED_AS_ENV];
  restoreExtraCaCerts();
  untuneAllocator();
  if (launchedAs) process.argv[1] = path.resolve(launchedAs);
  return true;
}

/** The CLI's Node script (dist/cli/selkie.cjs: Node's main module), for `node SCRIPT ARGS` (the varlink service). */
export function cliScript(): string {
  return require.main?.filename ?? process.argv[1]!;
}

/** Set when the launcher tuned glibc's allocator for Node (GLIBC_TUNABLES): not for the CLI's children. */
const TUNED_MALLOC_ENV = '_SELKIE_TUNED_MALLOC';

/** glibc read GLIBC_TUNABLES when Node started; children (conmon, runtimes, containers) get the defaults. */
function untuneAllocator(): void {
  if (process.env[TUNED_MALLOC_ENV] === undefined) return;
  delete process.env[TUNED_MALLOC_ENV];
  delete process.env.GLIBC_TUNABLES;
}

/**
 * NODE_EXTRA_CA_CERTS goes back into the environment as the user set it: children see it, and the
 * registry client (engine/registry/tls-config.ts) adds the certificates when it makes a TLS connection.
 */
function restoreExtraCaCerts(): void {
  const file = process.env[DEFERRED_EXTRA_CA_ENV];
  if (file === undefined) return;
  delete process.env[DEFERRED_EXTRA_CA_ENV];
  process.env.NODE_EXTRA_CA_CERTS = file;
}
