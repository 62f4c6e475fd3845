/**
 * The pods issue's scenarios, selkie and podman each in a private storage root under /var/tmp
 * (created at set-up, removed at the end):
 *
 *   pod create + 3 containers + start   one shell script per run: `pod create`, three `create --pod`,
 *                                      `pod start`; before each run (untimed) the pod is removed.
 *   pod stop -t 2 (3 ignoring TERM)     before each run (untimed) the pod is started again.
 *   top (50 processes, all descriptors) `top` with every descriptor both support on a container
 *                                      running 50 processes.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { busyboxRootfsTar } from '../scripts/busybox-rootfs.mjs';
import { onCleanup, runChecked } from './cleanup.js';
import type { Scenario } from './scenarios.js';

const TOP_DESCRIPTORS = ['user', 'huser', 'pid', 'hpid', 'ppid', 'pcpu', 'etime', 'time', 'tty', 'args', 'comm', 'capeff', 'capbnd', 'seccomp', 'label', 'uid', 'huid', 'group', 'hgroup', 'nice', 'vsz'];

export function podScenarios(selkie: string): Scenario[] {
  const dir = path.join('/var/tmp', `selkie-bench-pod-${process.pid}`);
  const roots = (engine: string) => ['--root', path.join(dir, engine, 'root'), '--runroot', path.join(dir, engine, 'run')];
  const s = [selkie, ...roots('selkie')];
  const p = ['podman', ...roots('podman')];
  const q = (a: string[]) => a.map((x) => `'${x.replace(/'/g, `'\\''`)}'`).join(' ');
  const tar = path.join(dir, 'busybox.tar');

  let prepared: Promise<void> | undefined;
  const prepareRoots = (penv: NodeJS.ProcessEnv | undefined) => {
    prepared ??= (async () => {
      onCleanup({
        name: 'pod scenarios: pods and storage roots',
        sync: () => {
          spawnSync(s[0]!, [...s.slice(1), 'pod', 'rm', '-f', 'benchpod', 'stoppod'], { stdio: 'ignore' });
          spawnSync(s[0]!, [...s.slice(1), 'rm', '-f', '-a'], { stdio: 'ignore' });
          if (penv) {
            spawnSync('podman', [...p.slice(1), 'pod', 'rm', '-f', '-t', '0', 'benchpod', 'stoppod'], { stdio: 'ignore', env: penv });
            spawnSync('podman', [...p.slice(1), 'rm', '-f', '-a', '-t', '0'], { stdio: 'ignore', env: penv });
          }
          const points = fs.readFileSync('/proc/self/mounts', 'utf8').split('\n').map((l) => l.split(' ')[1] ?? '').filter((m) => m.startsWith(`${dir}/`));
          for (const m of points.sort((a, b) => b.length - a.length)) spawnSync('umount', [m], { stdio: 'ignore' });
          fs.rmSync(dir, { recursive: true, force: true });
        },
      });
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(tar, busyboxRootfsTar());
      runChecked([...s, 'import', '-q', tar, 'localhost/busybox']);
      if (penv) runChecked([...p, 'import', '-q', tar, 'localhost/busybox'], penv);
    })();
    return prepared;
  };

  const createScript = (argv: string[]) =>
    [
      `${q([...argv, 'pod', 'create', '--name', 'benchpod'])} >/dev/null`,
      ...[1, 2, 3].map((i) => `${q([...argv, 'create', '--pod', 'benchpod', '--name', `benchpod-c${i}`, 'localhost/busybox', 'sleep', '1000'])} >/dev/null`),
      `${q([...argv, 'pod', 'start', 'benchpod'])} >/dev/null`,
    ].join(' && ');
  const removePod = (argv: string[], env?: NodeJS.ProcessEnv) => {
    spawnSync(argv[0]!, [...argv.slice(1), 'pod', 'rm', '-f', ...(argv[0] === 'podman' ? ['-t', '0'] : []), 'benchpod'], { stdio: 'ignore', env });
  };
  const create: Scenario = {
    name: 'pod create + 3 containers + start',
    target: 'selkie at most 0.6x podman (pods issue)',
    selkie: ['sh', '-c', createScript(s)],
    podman: ['sh', '-c', createScript(p)],
    setup: async (penv) => {
      await prepareRoots(penv);
    },
    prepare: { selkie: () => removePod(s), podman: (env) => removePod(p, env) },
    runDivisor: 3,
  };

  const stop: Scenario = {
    name: 'pod stop -t 2 (3 ignoring TERM)',
    target: 'under 3 s (pods issue)',
    selkie: [...s, 'pod', 'stop', '-t', '2', 'stoppod'],
    podman: [...p, 'pod', 'stop', '-t', '2', 'stoppod'],
    setup: async (penv) => {
      await prepareRoots(penv);
      const make = (argv: string[], env?: NodeJS.ProcessEnv) => {
        runChecked([...argv, 'pod', 'create', '--name', 'stoppod'], env);
        for (const i of [1, 2, 3]) runChecked([...argv, 'create', '--pod', 'stoppod', '--name', `stoppod-c${i}`, 'localhost/busybox', 'sh', '-c', 'trap "" TERM; sleep 1000'], env);
      };
      make(s);
      if (penv) make(p, penv);
    },
    prepare: { selkie: () => runChecked([...s, 'pod', 'start', 'stoppod']), podman: (env) => runChecked([...p, 'pod', 'start', 'stoppod'], env) },
    runDivisor: 3,
  };

  const top: Scenario = {
    name: 'top (50 processes, all descriptors)',
    target: 'selkie at most podman (pods issue)',
    selkie: [...s, 'top', 'topbench', ...TOP_DESCRIPTORS],
    podman: [...p, 'top', 'topbench', ...TOP_DESCRIPTORS],
    setup: async (penv) => {
      await prepareRoots(penv);
      const script = 'for i in $(seq 49); do sleep 1000 & done; wait';
      runChecked([...s, 'run', '-d', '--network', 'none', '--name', 'topbench', 'localhost/busybox', 'sh', '-c', script]);
      if (penv) runChecked([...p, 'run', '-d', '--network', 'none', '--name', 'topbench', 'localhost/busybox', 'sh', '-c', script], penv);
      await new Promise((r) => setTimeout(r, 1000)); // let the 49 children start
    },
  };
  return [create, stop, top];
}
