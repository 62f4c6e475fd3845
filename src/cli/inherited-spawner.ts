/**
 * The program spawner the native launcher started for this process (native/conmon/selkie-launcher.c):
 * its pipes arrive as _SELKIE_SPAWNER_FDS="REQUESTS,RESPONSES,PID". Taken first thing, before any
 * child process could inherit the variable, and handed to the engine's program runner
 * (src/engine/util/program-runner.ts) through a process-wide symbol, since the CLI and the engine
 * are separate bundles.
 */
const KEY = Symbol.for('selkie.inheritedSpawner');

export function takeInheritedSpawner(): void {
  const v = process.env._SELKIE_SPAWNER_FDS;
  if (v === undefined) return;
  delete process.env._SELKIE_SPAWNER_FDS;
  const [write, read, pid] = v.split(',').map(Number);
  if (!Number.isInteger(write) || !Number.isInteger(read) || !Number.isInteger(pid)) return;
  (globalThis as Record<symbol, unknown>)[KEY] = { write, read, pid };
}
