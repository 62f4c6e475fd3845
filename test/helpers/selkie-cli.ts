/**
 * Runs the built CLI (bin/selkie) against a private --root/--runroot, so tests never touch the
 * host's real state, and removes everything it made (containers, mounts, directories) afterwards.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const selkieBin = path.join(repo, 'bin', 'selkie');

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface SelkieEnv {
  root: string;
  runroot: string;
  /** Global flags that point at this private state. */
  flags: string[];
  run(args: string[], opts?: { input?: string | Buffer; env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<RunResult>;
  runSync(args: string[], opts?: { input?: string | Buffer }): RunResult;
  cleanup(): Promise<void>;
}

export function makeSelkieEnv(opts: { storageDriver?: 'overlay' | 'vfs' } = {}): SelkieEnv {
  const base = fs.mkdtempSync(path.join('/var/tmp', 'selkie-test-'));
  const root = path.join(base, 'root');
  const runroot = path.join(base, 'run');
  const flags = ['--root', root, '--runroot', runroot, ...(opts.storageDriver ? ['--storage-driver', opts.storageDriver] : [])];
  const env: SelkieEnv = {
    root,
    runroot,
    flags,
    run(args, o = {}) {
      return new Promise((resolve, reject) => {
        const child = spawn(selkieBin, [...flags, ...args], { env: { ...process.env, ...o.env }, stdio: ['pipe', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        const timer = setTimeout(() => child.kill('SIGKILL'), o.timeoutMs ?? 60_000);
        child.on('error', reject);
        child.on('close', (code, signal) => {
          clearTimeout(timer);
          resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
        });
        child.stdin.end(o.input ?? '');
      });
    },
    runSync(args, o = {}) {
      const r = spawnSync(selkieBin, [...flags, ...args], { input: o.input ?? '', encoding: 'utf8' });
      return { code: r.status ?? 128, stdout: r.stdout, stderr: r.stderr };
    },
    async cleanup() {
      await stopServicesOf(base);
      const ids = env.runSync(['ps', '-a', '-q', '--no-trunc']).stdout.split('\n').filter(Boolean);
      if (ids.length) env.runSync(['rm', '-f', ...ids]);
      // Whatever is still mounted below the test's root (a failed test may leave mounts).
      const mounts = fs.readFileSync('/proc/self/mounts', 'utf8').split('\n').map((l) => l.split(' ')[1] ?? '').filter((m) => m.startsWith(base));
      for (const m of mounts.reverse()) spawnSync('umount', ['-l', m]);
      // A late writer (conmon's exit command finishing a release) may add a file meanwhile: retried.
      fs.rmSync(base, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
    },
  };
  return env;
}

/** Stops the varlink services (`selkie system service`, e.g. started on demand by a bridge) whose command line names DIR. */
export async function stopServicesOf(dir: string): Promise<void> {
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let argv: string[];
    try {
      argv = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
    } catch {
      continue;
    }
    const service = argv.some((a, i) => a === 'system' && argv[i + 1] === 'service');
    if (service && argv.some((a) => a.startsWith(dir))) pids.push(Number(entry));
  }
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
  }
  const deadline = Date.now() + 5000;
  while (pids.some((p) => fs.existsSync(`/proc/${p}`) && !fs.readFileSync(`/proc/${p}/stat`, 'utf8').includes(') Z ')) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The busybox root filesystem tar that set-up imports as localhost/busybox. */
export async function busyboxTar(): Promise<Buffer> {
  const mod = (await import(path.join(repo, 'scripts/busybox-rootfs.mjs'))) as { busyboxRootfsTar(): Buffer };
  return mod.busyboxRootfsTar();
}

/** A private environment with localhost/busybox imported (CMD sh), as most container tests start. */
export async function busyboxEnv(opts: { storageDriver?: 'overlay' | 'vfs' } = {}): Promise<SelkieEnv> {
  const env = makeSelkieEnv(opts);
  const r = await env.run(['import', '--change', 'CMD ["sh"]', '-', 'localhost/busybox'], { input: await busyboxTar() });
  if (r.code !== 0) throw new Error(`importing busybox failed: ${r.stderr}`);
  return env;
}
