/**
 * The containers issue's scenarios, selkie and podman each in a private storage root under /var/tmp
 * (created at set-up, emptied and removed at the end; containers use --network none so only the
 * command itself is measured):
 *
 *   ps -a (1000 containers)   `ps -a` over 1000 created containers. Set-up (untimed) creates them:
 *                             selkie's through its engine in one Node process, podman's with
 *                             `podman create` four at a time. Also reports the peak RSS of selkie's ps.
 *   stop -t 2 (5 ignoring TERM)  `stop -t 2` of five running containers whose PID 1 ignores SIGTERM;
 *                             before every run (untimed) the five are started again. About 2 s, not 10.
 *   exec true                 `exec CTR true` into a running `sleep` container.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { busyboxRootfsTar } from '../scripts/busybox-rootfs.mjs';
import { onCleanup, runChecked } from './cleanup.js';
import type { Scenario } from './scenarios.js';

const PS_COUNT = 1000;
const RSS_TARGET_MB = 150;
const STOP_NAMES = ['stopper1', 'stopper2', 'stopper3', 'stopper4', 'stopper5'];

export function containerScenarios(selkie: string): Scenario[] {
  const dir = path.join('/var/tmp', `selkie-bench-ctr-${process.pid}`);
  const roots = (engine: string) => ['--root', path.join(dir, engine, 'root'), '--runroot', path.join(dir, engine, 'run')];
  // ps over many containers gets roots of its own, so the other scenarios' containers do not count.
  const sPs = [selkie, ...roots('selkie-ps')];
  const pPs = ['podman', ...roots('podman-ps')];
  const sRun = [selkie, ...roots('selkie')];
  const pRun = ['podman', ...roots('podman')];
  const tar = path.join(dir, 'busybox.tar');

  let prepared: Promise<void> | undefined;
  /** Roots, the busybox image in each, and the clean-up; once for all three scenarios. */
  const prepareRoots = (penv: NodeJS.ProcessEnv | undefined) => {
    prepared ??= (async () => {
      onCleanup({
        name: 'container scenarios: containers and storage roots',
        sync: () => {
          // Only the stop/exec roots have running containers; selkie's ps root can go as it is. podman's
          // 1000 are removed by podman: each holds a lock in podman's shared-memory pool (2048 for all
          // stores), which deleting the directory would not free, and the next bench run would fail.
          spawnSync(sRun[0]!, [...sRun.slice(1), 'rm', '-f', '-a'], { stdio: 'ignore' });
          if (penv) {
            spawnSync(pRun[0]!, [...pRun.slice(1), 'rm', '-f', '-a', '-t', '0'], { stdio: 'ignore', env: penv });
            spawnSync(pPs[0]!, [...pPs.slice(1), 'rm', '-f', '-a', '-t', '0'], { stdio: 'ignore', env: penv });
          }
          // podman's overlay driver mounts its storage directory, and the `podman container cleanup`
          // exit commands of the containers just removed may mount it again a moment later: retry.
          for (let attempt = 0; ; attempt++) {
            unmountUnder(dir);
            try {
              fs.rmSync(dir, { recursive: true, force: true });
              break;
            } catch (e) {
              if (attempt >= 20) throw e;
              Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
            }
          }
        },
      });
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(tar, busyboxRootfsTar());
      for (const argv of [sRun, sPs]) runChecked([...argv, 'import', '-q', tar, 'localhost/busybox']);
      if (penv) for (const argv of [pRun, pPs]) runChecked([...argv, 'import', '-q', tar, 'localhost/busybox'], penv);
    })();
    return prepared;
  };

  const ps: Scenario = {
    name: `ps -a (${PS_COUNT} containers)`,
    target: `selkie at most 0.5x podman, peak RSS under ${RSS_TARGET_MB} MB (containers issue)`,
    selkie: [...sPs, 'ps', '-a'],
    podman: [...pPs, 'ps', '-a'],
    setup: async (penv) => {
      await prepareRoots(penv);
      const t0 = Date.now();
      createSelkieContainers(sPs, PS_COUNT);
      if (penv) {
        const q = (a: string[]) => a.map((x) => `'${x.replace(/'/g, `'\\''`)}'`).join(' ');
        runChecked(['bash', '-c', `seq 1 ${PS_COUNT} | xargs -P 4 -I{} ${q([...pPs, 'create', '-q', '--network', 'none', '--name', 'c{}', 'localhost/busybox', 'true'])} >/dev/null`], penv);
      }
      const count = (argv: string[], env?: NodeJS.ProcessEnv) => runChecked([...argv, 'ps', '-a', '-q'], env).trim().split('\n').filter(Boolean).length;
      const n = count(sPs);
      const np = penv ? count(pPs, penv) : PS_COUNT;
      if (n !== PS_COUNT || np !== PS_COUNT) throw new Error(`prepared stores have ${n} (selkie) and ${np} (podman) containers, not ${PS_COUNT}`);
      process.stderr.write(`${PS_COUNT} containers created in each store in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
    },
    after: async () => {
      const kb = peakRssKb([...sPs, 'ps', '-a']);
      const mb = kb / 1024;
      return [`peak RSS of selkie ps -a: ${mb.toFixed(1)} MB (/usr/bin/time -f %M; target under ${RSS_TARGET_MB} MB: ${mb < RSS_TARGET_MB ? 'met' : 'NOT met'})`];
    },
    runDivisor: 2,
  };

  const startStoppers = (argv: string[], env?: NodeJS.ProcessEnv) => runChecked([...argv, 'start', ...STOP_NAMES], env);
  const stop: Scenario = {
    name: 'stop -t 2 (5 ignoring TERM)',
    target: 'about 2 s, not 10 (containers issue)',
    selkie: [...sRun, 'stop', '-t', '2', ...STOP_NAMES],
    podman: [...pRun, 'stop', '-t', '2', ...STOP_NAMES],
    setup: async (penv) => {
      await prepareRoots(penv);
      const create = (argv: string[], env?: NodeJS.ProcessEnv) => {
        for (const n of STOP_NAMES) runChecked([...argv, 'create', '--network', 'none', '--name', n, 'localhost/busybox', 'sh', '-c', 'trap "" TERM; sleep 1000'], env);
      };
      create(sRun);
      if (penv) create(pRun, penv);
    },
    prepare: { selkie: () => startStoppers(sRun), podman: (env) => startStoppers(pRun, env) },
    runDivisor: 3,
  };

  const exec: Scenario = {
    name: 'exec true',
    target: 'selkie at most podman (containers issue)',
    selkie: [...sRun, 'exec', 'execbench', 'true'],
    podman: [...pRun, 'exec', 'execbench', 'true'],
    setup: async (penv) => {
      await prepareRoots(penv);
      runChecked([...sRun, 'run', '-d', '--network', 'none', '--name', 'execbench', 'localhost/busybox', 'sleep', '100000']);
      if (penv) runChecked([...pRun, 'run', '-d', '--network', 'none', '--name', 'execbench', 'localhost/busybox', 'sleep', '100000'], penv);
    },
  };
  return [ps, stop, exec];
}

/** Creates `count` containers through selkie's engine in one Node process (a CLI per container would take minutes). */
function createSelkieContainers(selkieArgv: string[], count: number): void {
  // bin/selkie is the native launcher (build/native/selkie), dist/cli/selkie.cjs or a wrapper next to dist/.
  const real = path.dirname(fs.realpathSync(selkieArgv[0]!));
  const engineBundle = [path.join(real, 'engine.cjs'), path.join(real, '..', 'dist', 'cli', 'engine.cjs'), path.join(real, '..', '..', 'dist', 'cli', 'engine.cjs')].find((f) =>
    fs.existsSync(f),
  );
  if (!engineBundle) throw new Error(`cannot find dist/cli/engine.cjs next to ${selkieArgv[0]}: run npm run build`);
  const root = selkieArgv[selkieArgv.indexOf('--root') + 1]!;
  const runRoot = selkieArgv[selkieArgv.indexOf('--runroot') + 1]!;
  const script = `
    const { LocalEngine } = require(${JSON.stringify(engineBundle)});
    (async () => {
      const e = new LocalEngine({ root: ${JSON.stringify(root)}, runRoot: ${JSON.stringify(runRoot)} });
      for (let i = 1; i <= ${count}; i++) await e.containers.create({ image: 'localhost/busybox', command: ['true'], name: 'c' + i, network: 'none' });
      await e.close();
    })().catch((err) => { console.error(err.message); process.exit(1); });`;
  runChecked([process.execPath, '-e', script]);
}

/** Peak RSS (KiB) of one run of a command, by GNU time's %M. */
function peakRssKb(argv: string[]): number {
  const out = path.join(os.tmpdir(), `selkie-bench-ctr-rss-${process.pid}`);
  try {
    runChecked(['/usr/bin/time', '-f', '%M', '-o', out, ...argv]);
    return Number(fs.readFileSync(out, 'utf8').trim().split('\n').pop());
  } finally {
    fs.rmSync(out, { force: true });
  }
}

/** Unmounts every mount point under `dir`, deepest first. */
function unmountUnder(dir: string): void {
  const points = fs
    .readFileSync('/proc/self/mounts', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[1] ?? '')
    .filter((p) => p.startsWith(`${dir}/`))
    .sort((a, b) => b.length - a.length);
  for (const p of points) spawnSync('umount', [p], { stdio: 'ignore' });
}
