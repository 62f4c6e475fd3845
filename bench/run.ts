/**
 * `npm run bench [-- NAME...] [--runs N]`: runs each scenario for selkie, podman (when installed)
 * and the floor in alternation, then prints medians and ratios. Results also go to
 * dist/bench/last-results.json. A scenario may have an untimed set-up, an untimed preparation before
 * each run of each variant, fewer runs (slow scenarios) and extra measurements printed under its row;
 * what set-ups leave behind is cleaned up at the end, after failures and on SIGINT/SIGTERM.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { busyboxRootfsTar } from '../scripts/busybox-rootfs.mjs';
import { checkInterrupted, installSignalHandlers, runCleanups } from './cleanup.js';
import { scenarios, type Scenario, type Variant } from './scenarios.js';

const repo = path.resolve(__dirname, '..', '..');
const selkie = path.join(repo, 'bin', 'selkie');

function parseArgs(argv: string[]): { names: string[]; runs: number } {
  const names: string[] = [];
  let runs = 15;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--runs') runs = Number(argv[++i]);
    else names.push(argv[i]!);
  }
  return { names, runs };
}

function timeOnce(argv: string[], env: NodeJS.ProcessEnv): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(argv[0]!, argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'], env });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  checkInterrupted(r.signal);
  if (r.status !== 0) throw new Error(`${argv.join(' ')} failed (exit ${r.status}): ${r.stderr?.toString().trim().split('\n').pop()}`);
  return ms;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** Podman as a reference peer, configured for this host (runc, cgroupfs, rlimits within the hard limits) without touching /etc. */
function podmanEnv(): NodeJS.ProcessEnv | undefined {
  if (spawnSync('podman', ['--version']).status !== 0) return undefined;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'selkie-bench-'));
  const conf = path.join(dir, 'containers.conf');
  fs.writeFileSync(
    conf,
    `[containers]\ndefault_ulimits = [${hardLimits()}]\n[engine]\nruntime = "runc"\ncgroup_manager = "cgroupfs"\nevents_logger = "file"\n`,
  );
  const env = { ...process.env, CONTAINERS_CONF: conf };
  if (spawnSync('podman', ['image', 'exists', 'localhost/busybox:latest'], { env }).status !== 0) {
    const r = spawnSync('podman', ['import', '--change', 'CMD ["sh"]', '-', 'localhost/busybox:latest'], { input: busyboxRootfsTar(), env });
    if (r.status !== 0) throw new Error(`podman import failed: ${r.stderr}`);
  }
  return env;
}

/**
 * podman's default rlimits exceed what root may set here (no CAP_SYS_RESOURCE): nofile pinned to the
 * hard limit, nproc to 4096 (podman 4.3 fails here with any nproc near the hard limit).
 */
function hardLimits(): string {
  const text = fs.readFileSync('/proc/self/limits', 'utf8');
  const hard = (name: string) => /^\S.*?\s{2,}(\S+)\s+(\S+)/.exec(text.split('\n').find((l) => l.startsWith(name)) ?? '')?.[2] ?? '1024';
  return `"nofile=${hard('Max open files')}:${hard('Max open files')}", "nproc=4096:4096"`;
}

interface Result {
  scenario: string;
  target: string;
  selkieMs: number;
  podmanMs?: number;
  floorMs?: number;
  floorName?: string;
  ratioPodman?: number;
  ratioFloor?: number;
  /** When the scenario ran fewer than the requested runs. */
  runs?: number;
  notes?: string[];
  error?: string;
}

interface Measured {
  result: Result;
  notes: string[];
}

async function runScenario(s: Scenario, runs: number, penv: NodeJS.ProcessEnv | undefined): Promise<Measured> {
  await s.setup?.(penv);
  const variants: { key: Variant; argv: string[]; env: NodeJS.ProcessEnv }[] = [{ key: 'selkie', argv: s.selkie, env: process.env }];
  if (s.podman && penv) variants.push({ key: 'podman', argv: s.podman, env: penv });
  if (s.floor) variants.push({ key: 'floor', argv: s.floor, env: process.env });
  // Node parses NODE_EXTRA_CA_CERTS at start-up (~40 ms here) and selkie's launcher spares it that:
  // a `node -e 0` floor is also timed without it, so the ratio is not flattered.
  const nodeFloor = s.floor?.[0] === process.execPath && s.floor.length === 3 && s.floor[2] === '0';
  if (nodeFloor && process.env.NODE_EXTRA_CA_CERTS) {
    const { NODE_EXTRA_CA_CERTS: _, ...bare } = process.env;
    variants.push({ key: 'bareFloor', argv: s.floor!, env: bare });
  }
  const n = s.runDivisor ? Math.max(3, Math.ceil(runs / s.runDivisor)) : runs;
  const warmups = s.runDivisor ? 1 : 2;
  const once = (v: (typeof variants)[number]) => {
    s.prepare?.[v.key]?.(v.env); // untimed
    return timeOnce(v.argv, v.env);
  };
  const times: Record<Variant, number[]> = { selkie: [], podman: [], floor: [], bareFloor: [] };
  for (const v of variants) for (let w = 0; w < warmups; w++) once(v); // warm caches
  for (let i = 0; i < n; i++) for (const v of variants) times[v.key].push(once(v));
  const r: Result = { scenario: s.name, target: s.target, runs: n, selkieMs: median(times.selkie) };
  if (times.podman.length) {
    r.podmanMs = median(times.podman);
    r.ratioPodman = r.selkieMs / r.podmanMs;
  }
  if (times.floor.length) {
    r.floorMs = median(times.floor);
    r.floorName = s.floorName;
    r.ratioFloor = r.selkieMs / r.floorMs;
  }
  const notes = s.after ? await s.after() : [];
  if (times.bareFloor.length) {
    const bare = median(times.bareFloor);
    notes.unshift(`node -e 0 without NODE_EXTRA_CA_CERTS: ${bare.toFixed(1)} ms; selkie / that: ${(r.selkieMs / bare).toFixed(2)}`);
  }
  if (notes.length) r.notes = notes;
  return { result: r, notes };
}

async function main(): Promise<void> {
  const { names, runs } = parseArgs(process.argv.slice(2));
  const chosen = scenarios(selkie).filter((s) => names.length === 0 || names.some((n) => s.name.startsWith(n)));
  installSignalHandlers();
  const penv = podmanEnv();
  if (!penv) process.stdout.write('podman is not installed: ratios against podman are skipped\n');
  const results: Result[] = [];
  const f = (n?: number, d = 1) => (n === undefined ? '-' : n.toFixed(d));
  process.stdout.write(`${runs} runs each (pull scenarios fewer: see "runs"), medians in ms, on ${os.cpus().length} cores\n\n`);
  process.stdout.write(
    `${'scenario'.padEnd(32)}${'runs'.padStart(5)}${'selkie'.padStart(9)}${'podman'.padStart(9)}${'floor'.padStart(9)}${'s/podman'.padStart(10)}${'s/floor'.padStart(9)}  target\n`,
  );
  try {
    for (const s of chosen) {
      await new Promise((res) => setImmediate(res)); // lets a pending SIGINT handler run
      let r: Result;
      let notes: string[] = [];
      try {
        ({ result: r, notes } = await runScenario(s, runs, penv));
      } catch (e) {
        r = { scenario: s.name, target: s.target, selkieMs: NaN, error: (e as Error).message };
      }
      results.push(r);
      const line = r.error
        ? `${s.name.padEnd(32)} failed: ${r.error}`
        : `${s.name.padEnd(32)}${String(r.runs ?? runs).padStart(5)}${f(r.selkieMs).padStart(9)}${f(r.podmanMs).padStart(9)}${f(r.floorMs).padStart(9)}${f(r.ratioPodman, 2).padStart(10)}${f(r.ratioFloor, 2).padStart(9)}  ${r.target}${r.floorName ? ` [floor: ${r.floorName}]` : ''}`;
      process.stdout.write(`${line}\n`);
      for (const n of notes) process.stdout.write(`${''.padEnd(34)}${n}\n`);
    }
  } finally {
    await runCleanups();
  }
  fs.mkdirSync(path.join(repo, 'dist/bench'), { recursive: true });
  fs.writeFileSync(path.join(repo, 'dist/bench/last-results.json'), JSON.stringify({ date: new Date().toISOString(), runs, results }, null, 2));
  if (results.some((r) => r.error)) process.exitCode = 1;
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
});
