/**
 * The images issue's pull scenarios against the plain fixture registry (test/fixtures), which the
 * bench starts itself on the first pull scenario and stops at the end:
 *
 *   pull big (cold)     selkie/podman pull of the ~207 MB `big` image, removed (with its layers) from
 *                       each engine with `rmi -f` before every run, untimed; the floor fetches the same
 *                       manifest, config and layer blobs with curl and streams each layer into
 *                       `tar -xzf` in a directory of its own (emptied before every run, untimed). Also
 *                       reports the peak RSS of one selkie cold pull.
 *   pull big (present)  the same pull with the image already present; floor node -e 0.
 *
 * Both engines use private storage roots under /var/tmp (removed at the end), so an interrupted run
 * leaves nothing in the shared stores. If `selkie rmi -f` fails, the preparation empties selkie's root
 * instead (still a cold pull) and the failure is printed under the row.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type FixtureInfo, startFixtures, stopFixtures } from '../test/fixtures/index.js';
import { onCleanup, runChecked } from './cleanup.js';
import type { Scenario } from './scenarios.js';

const MANIFEST_V2 = 'application/vnd.docker.distribution.manifest.v2+json';
const RSS_TARGET_MB = 200;

let started: Promise<FixtureInfo> | undefined;

/** Starts the fixtures once (the `big` image needs full mode; no artifacts file, so a test run's is left alone). */
function fixtures(): Promise<FixtureInfo> {
  started ??= (async () => {
    onCleanup({ name: 'fixture registries', async: () => stopFixtures() });
    const t0 = Date.now();
    const info = await startFixtures({ mode: 'full', artifactsFile: false });
    if (!info.registries.plain.images['big:latest']) throw new Error('the plain fixture registry has no big:latest');
    process.stderr.write(`fixtures up in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
    return info;
  })();
  return started;
}

export function pullScenarios(selkie: string): Scenario[] {
  let ref = '';
  // Private storage roots (created at set-up, removed at the end), so nothing is left in the shared stores.
  const dir = path.join('/var/tmp', `selkie-bench-pull-${process.pid}`);
  const sroot = ['--root', path.join(dir, 'selkie-root'), '--runroot', path.join(dir, 'selkie-run')];
  const proot = ['--root', path.join(dir, 'podman-root'), '--runroot', path.join(dir, 'podman-run')];
  const floorDir = path.join(dir, 'floor');
  let rmiFailures = 0;
  let rmiError = '';
  const rmiSelkie = () => {
    try {
      runChecked([selkie, ...sroot, 'rmi', '-f', ref], process.env, [0, 1]);
    } catch (e) {
      // Still a cold pull: an empty root (initialised untimed) has neither the image nor its layers.
      rmiFailures++;
      rmiError = (e as Error).message.replace(/^.* failed /, '');
      fs.rmSync(path.join(dir, 'selkie-root'), { recursive: true, force: true });
      fs.rmSync(path.join(dir, 'selkie-run'), { recursive: true, force: true });
      runChecked([selkie, ...sroot, 'images']);
    }
  };
  const rmiPodman = (env: NodeJS.ProcessEnv) => void runChecked(['podman', ...proot, 'rmi', '-f', ref], env, [0, 1]);
  const emptyFloorDir = () => {
    fs.rmSync(floorDir, { recursive: true, force: true });
    fs.mkdirSync(floorDir, { recursive: true });
  };

  /** Shared by both scenarios: the registry, the argv, the floor script and the clean-up. */
  let ready: Promise<void> | undefined;
  let podmanEnv: NodeJS.ProcessEnv | undefined;
  const setup = (penv: NodeJS.ProcessEnv | undefined) =>
    (ready ??= (async () => {
      podmanEnv = penv;
      onCleanup({ name: 'pull storage roots', sync: () => fs.rmSync(dir, { recursive: true, force: true }) });
      fs.mkdirSync(dir, { recursive: true });
      const info = await fixtures();
      const reg = info.registries.plain;
      ref = reg.images['big:latest']!.ref;
      for (const s of [cold, present]) {
        s.selkie = [selkie, ...sroot, 'pull', '--tls-verify=false', ref];
        s.podman = ['podman', ...proot, 'pull', '--tls-verify=false', ref];
      }
      cold.floor = ['bash', '-c', await floorScript(reg.url, floorDir)];
    })());

  const cold: Scenario = {
    name: 'pull big (cold)',
    target: 'images issue: reported against podman',
    selkie: [],
    podman: [],
    floor: [],
    floorName: 'curl blobs | tar -xzf',
    prepare: { selkie: rmiSelkie, podman: rmiPodman, floor: emptyFloorDir },
    runDivisor: 3,
    setup,
    after: async () => {
      rmiSelkie();
      const { kb, how } = await peakRss(cold.selkie);
      const mb = kb / 1024;
      const notes = [`peak RSS of one selkie cold pull: ${mb.toFixed(1)} MB (${how}; target under ${RSS_TARGET_MB} MB: ${mb < RSS_TARGET_MB ? 'met' : 'NOT met'})`];
      // What the cores allow: on N cores no schedule of a pull finishes before (user+sys)/N.
      const cpu: string[] = [];
      rmiSelkie();
      cpu.push(`selkie ${cpuTime(cold.selkie, process.env)}`);
      if (podmanEnv) {
        rmiPodman(podmanEnv);
        cpu.push(`podman ${cpuTime(cold.podman!, podmanEnv)}`);
      }
      emptyFloorDir();
      cpu.push(`floor ${cpuTime(cold.floor!, process.env)}`);
      notes.push(`one cold pull, seconds of wall / user+sys CPU (${os.cpus().length} cores): ${cpu.join(', ')}`);
      if (rmiFailures) notes.push(`selkie rmi -f failed in ${rmiFailures} preparations (${rmiError}); those emptied selkie's private root instead`);
      return notes;
    },
  };
  const present: Scenario = {
    name: 'pull big (present)',
    target: 'images issue: reported against podman',
    selkie: [],
    podman: [],
    floor: [process.execPath, '-e', '0'],
    floorName: 'node -e 0',
    runDivisor: 3,
    setup,
  };
  return [cold, present];
}

/** A bash script fetching the manifest, config and layers the way a pull does, each layer into its own directory. */
async function floorScript(url: string, dir: string): Promise<string> {
  const res = await fetch(`${url}/v2/big/manifests/latest`, { headers: { accept: MANIFEST_V2 } });
  if (!res.ok) throw new Error(`GET ${url}/v2/big/manifests/latest: HTTP ${res.status}`);
  const m = (await res.json()) as { config: { digest: string }; layers: { digest: string; mediaType: string }[] };
  if (!m.layers?.length || m.layers.some((l) => !l.mediaType.includes('gzip'))) throw new Error('big:latest is not a gzip schema2 image');
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const lines = [
    'set -euo pipefail',
    `curl -sSf -H ${q(`Accept: ${MANIFEST_V2}`)} -o ${q(`${dir}/manifest.json`)} ${q(`${url}/v2/big/manifests/latest`)}`,
    `curl -sSf -o ${q(`${dir}/config.json`)} ${q(`${url}/v2/big/blobs/${m.config.digest}`)}`,
    ...m.layers.flatMap((l, i) => [
      `mkdir ${q(`${dir}/layer${i}`)}`,
      `curl -sSf ${q(`${url}/v2/big/blobs/${l.digest}`)} | tar -xzf - -C ${q(`${dir}/layer${i}`)}`,
    ]),
  ];
  return lines.join('\n');
}

/** GNU time's figures (FORMAT, numbers separated by spaces) for one run of argv, or undefined without /usr/bin/time. */
function gnuTime(argv: string[], format: string, env: NodeJS.ProcessEnv = process.env): number[] | undefined {
  if (!fs.existsSync('/usr/bin/time')) return undefined;
  const out = path.join(os.tmpdir(), `selkie-bench-time-${process.pid}`);
  try {
    runChecked(['/usr/bin/time', '-f', format, '-o', out, ...argv], env);
    const text = fs.readFileSync(out, 'utf8');
    const figures = text.trim().split('\n').pop()!.split(' ').map(Number);
    if (figures.some((f) => !Number.isFinite(f))) throw new Error(`/usr/bin/time wrote ${JSON.stringify(text)}`);
    return figures;
  } finally {
    fs.rmSync(out, { force: true });
  }
}

/** "WALL / USER+SYS" seconds of one run of argv (elapsed, and the CPU of it and its waited-for children). */
export function cpuTime(argv: string[], env: NodeJS.ProcessEnv): string {
  const t = gnuTime(argv, '%e %U %S', env);
  if (!t) return 'unmeasured (no /usr/bin/time)';
  const [wall, user, sys] = t as [number, number, number];
  return `${wall.toFixed(2)} / ${user.toFixed(2)}+${sys.toFixed(2)}`;
}

/**
 * The peak RSS (KiB) of a command: GNU time's %M (the maximum over the process and the children it
 * waited for), or, without /usr/bin/time, the last VmHWM read from /proc/PID/status while polling.
 */
async function peakRss(argv: string[]): Promise<{ kb: number; how: string }> {
  const measured = gnuTime(argv, '%M');
  if (measured) return { kb: measured[0]!, how: '/usr/bin/time -f %M' };
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] });
    let kb = 0;
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const poll = () => {
      try {
        const m = /^VmHWM:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) kb = Math.max(kb, Number(m[1]));
      } catch {
        /* exited */
      }
    };
    const timer = setInterval(poll, 10);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(timer);
      if (code !== 0) reject(new Error(`${argv.join(' ')} failed (exit ${code}): ${stderr.trim().split('\n').pop()}`));
      else resolve({ kb, how: 'VmHWM polled every 10 ms' });
    });
  });
}
