/**
 * Rootless scenarios (issue 8): selkie and podman run by the same unprivileged user, made for the
 * bench (useradd with /etc/subuid and /etc/subgid ranges) and removed at the end with its processes:
 *
 *   rootless run --rm true   `run --rm localhost/busybox true`, the user namespace already set up
 *                            (selkie's pause process, podman's) by the warm-up runs.
 *   rootless pull big (cold) the ~200 MB fixture from the plain registry, removed with `rmi -f`
 *                            before every run (untimed).
 *
 * Both go through `runuser -u USER -- env -i ...`, so both pay the same switch of user. podman is
 * configured for this host (runc, cgroupfs, file events) in the user's containers.conf.
 */
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { busyboxRootfsTar } from '../scripts/busybox-rootfs.mjs';
import { onCleanup, runChecked } from './cleanup.js';
import { cpuTime, pullScenarios } from './pull-scenarios.js';
import type { Scenario } from './scenarios.js';

interface BenchUser {
  name: string;
  uid: number;
  home: string;
  as(argv: string[]): string[];
}

let made: Promise<BenchUser> | undefined;

function uidOwnedPids(uid: number): number[] {
  const out: number[] = [];
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const status = fs.readFileSync(`/proc/${d}/status`, 'utf8');
      if (/^State:\s+[ZX]/m.test(status)) continue; // a zombie: PID 1 reaps it
      const m = /^Uid:\s+(\d+)/m.exec(status);
      if (m && Number(m[1]) === uid) out.push(Number(d));
    } catch {
      // gone
    }
  }
  return out;
}

function removeUser(u: BenchUser): void {
  for (let i = 0; i < 20; i++) {
    const left = uidOwnedPids(u.uid);
    if (!left.length) break;
    for (const p of left) {
      try {
        process.kill(p, 'SIGKILL');
      } catch {
        // gone
      }
    }
    spawnSync('sleep', ['0.1']);
  }
  for (const d of [`/tmp/selkie-${u.uid}`, `/tmp/podman-run-${u.uid}`, `/tmp/containers-user-${u.uid}`, `/tmp/run-${u.uid}`]) fs.rmSync(d, { recursive: true, force: true });
  spawnSync('userdel', ['-r', '-f', u.name]);
  fs.rmSync(u.home, { recursive: true, force: true });
}

/** The bench user (made once): ranges, podman's containers.conf, localhost/busybox in both stores. */
function benchUser(selkie: string): Promise<BenchUser> {
  made ??= (async () => {
    const name = `skbench${crypto.randomBytes(3).toString('hex')}`;
    runChecked(['useradd', '-m', '-s', '/bin/sh', name]);
    const uid = Number(runChecked(['id', '-u', name]).trim());
    const home = `/home/${name}`;
    const u: BenchUser = {
      name,
      uid,
      home,
      as: (argv) => ['runuser', '-u', name, '--', 'env', '-i', `HOME=${home}`, `USER=${name}`, 'PATH=/usr/local/bin:/usr/bin:/bin', ...argv],
    };
    onCleanup({ name: `bench user ${name}`, sync: () => removeUser(u) });
    if (!fs.readFileSync('/etc/subuid', 'utf8').split('\n').some((l) => l.startsWith(`${name}:`))) {
      const start = 1_100_000_000 + (uid % 1000) * 65536;
      runChecked(['usermod', '--add-subuids', `${start}-${start + 65535}`, '--add-subgids', `${start}-${start + 65535}`, name]);
    }
    const conf = path.join(home, '.config', 'containers');
    fs.mkdirSync(conf, { recursive: true });
    fs.writeFileSync(
      path.join(conf, 'containers.conf'),
      `[containers]\n[engine]\nruntime = "runc"\ncgroup_manager = "cgroupfs"\nevents_logger = "file"\n`,
    );
    runChecked(['chown', '-R', `${name}:`, path.join(home, '.config')]);
    const tar = busyboxRootfsTar();
    runChecked(u.as([selkie, 'import', '--change', 'CMD ["sh"]', '-', 'localhost/busybox:latest']), process.env, [0], tar);
    runChecked(u.as(['podman', 'import', '--change', 'CMD ["sh"]', '-', 'localhost/busybox:latest']), process.env, [0], tar);
    // Fails here (with its reason) when rootless podman cannot run on this host.
    runChecked(u.as(['podman', 'run', '--rm', 'localhost/busybox', 'true']));
    return u;
  })();
  return made;
}

export function rootlessScenarios(selkie: string): Scenario[] {
  const run: Scenario = {
    name: 'rootless run --rm true',
    target: 'selkie at most 0.6x rootless podman (issue 8)',
    selkie: [],
    podman: [],
    setup: async () => {
      const u = await benchUser(selkie);
      run.selkie = u.as([selkie, 'run', '--rm', 'localhost/busybox', 'true']);
      run.podman = u.as(['podman', 'run', '--rm', 'localhost/busybox', 'true']);
    },
  };

  let ref = '';
  let user: BenchUser | undefined;
  const rmi = (engine: string) => () => void runChecked(user!.as([engine, 'rmi', '-f', ref]), process.env, [0, 1]);
  const pull: Scenario = {
    name: 'rootless pull big (cold)',
    target: 'selkie at most 0.7x rootless podman (issue 8)',
    selkie: [],
    podman: [],
    runDivisor: 3,
    prepare: { selkie: rmi(selkie), podman: rmi('podman') },
    setup: async () => {
      user = await benchUser(selkie);
      // The pull scenarios' registry (started once per bench run); the big image's reference is the last argv word.
      const cold = pullScenarios(selkie)[0]!;
      await cold.setup!(undefined);
      ref = cold.selkie[cold.selkie.length - 1]!;
      pull.selkie = user.as([selkie, 'pull', '--tls-verify=false', ref]);
      pull.podman = user.as(['podman', 'pull', '--tls-verify=false', ref]);
    },
    after: async () => {
      rmi(selkie)();
      const s = cpuTime(pull.selkie, process.env);
      rmi('podman')();
      return [`one cold pull, seconds of wall / user+sys CPU: selkie ${s}, podman ${cpuTime(pull.podman!, process.env)}`];
    },
  };
  return [run, pull];
}
