/**
 * What the benchmarks leave behind (images pulled into the engines' stores, prepared storage roots,
 * fixture registries) is undone at the end of the run, after a failure and on SIGINT/SIGTERM/SIGHUP.
 * Synchronous steps run in every case; asynchronous ones (stopping the fixture registries) only at a
 * normal end, since the fixtures kill their own processes on exit and on signals.
 */
import { spawnSync } from 'node:child_process';

type Step = { name: string; sync?: () => void; async?: () => Promise<void> };
const steps: Step[] = [];
let installed = false;

const SIGNALS = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 } as const;

/** Registers a clean-up step; the last registered runs first. */
export function onCleanup(step: Step): void {
  installSignalHandlers();
  steps.push(step);
}

/** On SIGINT, SIGTERM, SIGHUP: the synchronous clean-up steps, then exit (the fixtures' exit handler stops the registries). */
export function installSignalHandlers(): void {
  if (installed) return;
  installed = true;
  for (const sig of Object.keys(SIGNALS) as (keyof typeof SIGNALS)[]) process.once(sig, () => interrupted(sig));
}

/** Cleans up and exits as if killed by `sig`. */
export function interrupted(sig: NodeJS.Signals): never {
  process.stderr.write(`\n${sig}: cleaning up\n`);
  runSyncCleanups();
  process.exit(128 + (SIGNALS[sig as keyof typeof SIGNALS] ?? 2));
}

/** A child killed by SIGINT/SIGTERM/SIGHUP means the user interrupted the run (Ctrl-C reaches the whole process group). */
export function checkInterrupted(signal: NodeJS.Signals | null): void {
  if (signal && signal in SIGNALS) interrupted(signal);
}

function runSyncCleanups(): void {
  while (steps.length) {
    const s = steps.pop()!;
    try {
      s.sync?.();
    } catch (e) {
      process.stderr.write(`clean-up ${s.name} failed: ${(e as Error).message}\n`);
    }
  }
}

/** Runs every registered step (last registered first), reporting but not throwing failures. */
export async function runCleanups(): Promise<void> {
  while (steps.length) {
    const s = steps.pop()!;
    try {
      s.sync?.();
      await s.async?.();
    } catch (e) {
      process.stderr.write(`clean-up ${s.name} failed: ${(e as Error).message}\n`);
    }
  }
}

/** Runs a command untimed; throws unless it exits with one of `ok` (default 0). */
export function runChecked(argv: string[], env: NodeJS.ProcessEnv = process.env, ok: number[] = [0], input?: Buffer): string {
  const r = spawnSync(argv[0]!, argv.slice(1), { env, input, stdio: [input ? 'pipe' : 'ignore', 'pipe', 'pipe'], maxBuffer: 1 << 28 });
  if (r.error) throw r.error;
  checkInterrupted(r.signal);
  if (!ok.includes(r.status ?? -1)) {
    const lines = r.stderr.toString().trim().split('\n');
    const why = lines.find((l) => /^Error\b/i.test(l)) ?? lines.pop();
    throw new Error(`${argv.join(' ')} failed (exit ${r.status ?? r.signal}): ${why}`);
  }
  return r.stdout.toString();
}
