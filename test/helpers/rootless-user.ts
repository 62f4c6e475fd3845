/**
 * A real unprivileged user for rootless tests: `useradd -m` with a unique name (useradd gives it a
 * /etc/subuid and /etc/subgid range, or one is added), bin/selkie run as that user through
 * runuser(1) with a clean environment, and a cleanup that kills every process of the user (by pid),
 * removes its run directory and deletes the user with its home and ranges.
 */
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { busyboxTar, selkieBin, type RunResult } from './selkie-cli.js';

export interface RootlessUser {
  name: string;
  uid: number;
  home: string;
  /** $XDG_RUNTIME_DIR is not set: the run directory is /tmp/selkie-UID. */
  runDir: string;
  graphRoot: string;
  run(args: string[], opts?: { input?: string | Buffer; env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<RunResult>;
  /** Any program as the user (e.g. to look at the pause process). */
  exec(argv: string[], opts?: { env?: NodeJS.ProcessEnv; input?: string | Buffer; timeoutMs?: number }): Promise<RunResult>;
  /** Remove the user's subordinate ranges (the "no subuid range" case). */
  dropSubids(): void;
  /** The pids of the user's processes (real UID = the user's). */
  pids(): number[];
  cleanup(): Promise<void>;
}

const readRanges = (file: string, name: string): string[] =>
  fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.startsWith(`${name}:`))
    .map((l) => {
      const [, start, count] = l.split(':');
      return `${start}-${Number(start) + Number(count) - 1}`;
    });

function mustRun(argv: string[]): void {
  const r = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${argv.join(' ')} failed: ${r.stderr}`);
}

/** pids whose real UID is `uid` or in one of `ranges` ([start, count]: processes of its containers). */
function pidsOf(uid: number, ranges: [number, number][] = []): number[] {
  const out: number[] = [];
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const status = fs.readFileSync(`/proc/${d}/status`, 'utf8');
      if (/^State:\s+[ZX]/m.test(status)) continue; // killed, waiting for PID 1 to reap it
      const m = /^Uid:\s+(\d+)/m.exec(status);
      const u = m ? Number(m[1]) : -1;
      if (u === uid || ranges.some(([start, count]) => u >= start && u < start + count)) out.push(Number(d));
    } catch {
      // gone
    }
  }
  return out;
}

export function createRootlessUser(): RootlessUser {
  const name = `skrl${crypto.randomBytes(4).toString('hex')}`;
  mustRun(['useradd', '-m', '-s', '/bin/sh', name]);
  const uid = Number(spawnSync('id', ['-u', name], { encoding: 'utf8' }).stdout.trim());
  const home = `/home/${name}`;
  if (!readRanges('/etc/subuid', name).length || !readRanges('/etc/subgid', name).length) {
    // useradd made none (SUB_UID_COUNT=0): a range of our own, away from the usual ones.
    const start = 1_000_000_000 + (uid % 1000) * 65536;
    mustRun(['usermod', '--add-subuids', `${start}-${start + 65535}`, '--add-subgids', `${start}-${start + 65535}`, name]);
  }
  const subuids = fs
    .readFileSync('/etc/subuid', 'utf8')
    .split('\n')
    .filter((l) => l.startsWith(`${name}:`))
    .map((l) => [Number(l.split(':')[1]), Number(l.split(':')[2])] as [number, number]);
  const baseEnv = (): NodeJS.ProcessEnv => ({ PATH: '/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin', HOME: home, USER: name, LOGNAME: name, LANG: 'C.UTF-8' });

  const exec: RootlessUser['exec'] = (argv, o = {}) =>
    new Promise((resolve, reject) => {
      // runuser keeps the environment given to env(1): nothing of the test process's leaks in.
      const env = { ...baseEnv(), ...o.env };
      const child = spawn('runuser', ['-u', name, '--', 'env', '-i', ...Object.entries(env).map(([k, v]) => `${k}=${v}`), ...argv], {
        stdio: ['pipe', 'pipe', 'pipe'],
        cwd: '/',
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), o.timeoutMs ?? 90_000);
      child.on('error', reject);
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
      });
      child.stdin.on('error', () => {});
      child.stdin.end(o.input ?? '');
    });

  const user: RootlessUser = {
    name,
    uid,
    home,
    runDir: `/tmp/selkie-${uid}`,
    graphRoot: path.join(home, '.local', 'share', 'selkie'),
    exec,
    run: (args, o = {}) => exec([selkieBin, ...args], o),
    dropSubids() {
      const u = readRanges('/etc/subuid', name);
      const g = readRanges('/etc/subgid', name);
      mustRun(['usermod', ...u.flatMap((r) => ['--del-subuids', r]), ...g.flatMap((r) => ['--del-subgids', r]), name]);
    },
    pids: () => pidsOf(uid),
    async cleanup() {
      // Containers first (their conmon, slirp4netns and processes), then whatever is left.
      const ids = (await user.run(['ps', '-a', '-q'], { timeoutMs: 60_000 }).catch(() => undefined))?.stdout.split('\n').filter(Boolean) ?? [];
      if (ids.length) await user.run(['rm', '-f', ...ids], { timeoutMs: 60_000 }).catch(() => undefined);
      for (let i = 0; i < 50; i++) {
        const left = pidsOf(uid, subuids);
        if (!left.length) break;
        for (const p of left) {
          try {
            process.kill(p, 'SIGKILL');
          } catch {
            // gone
          }
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      // Mounts lived in the pause process's mount namespace: they went with it.
      fs.rmSync(user.runDir, { recursive: true, force: true });
      spawnSync('userdel', ['-r', '-f', name], { encoding: 'utf8' });
      // userdel removes the ranges too; make sure.
      if (readRanges('/etc/subuid', name).length || readRanges('/etc/subgid', name).length) {
        try {
          user.dropSubids();
        } catch {
          // the user is gone: usermod refuses
        }
      }
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
  return user;
}

/** A rootless user (pushed on `users`, for the caller's cleanup) with localhost/busybox imported. */
export async function createRootlessUserWithBusybox(users: RootlessUser[]): Promise<RootlessUser> {
  const u = createRootlessUser();
  users.push(u);
  const r = await u.run(['import', '--change', 'CMD ["sh"]', '-', 'localhost/busybox'], { input: await busyboxTar() });
  if (r.code !== 0) throw new Error(`importing busybox as ${u.name} failed: ${r.stderr}`);
  return u;
}
