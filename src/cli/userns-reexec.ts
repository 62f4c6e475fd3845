/**
 * Rootless start-up: a non-root `selkie` runs itself again inside its user's user namespace through
 * the native helper selkie-userns (native/conmon/selkie-userns.c), which creates or joins the pause
 * process's namespaces — Node cannot setns(2) itself, being multi-threaded — and execs Node on the
 * same script with the same arguments. `_SELKIE_USERNS_UID`/`_GID` mark the inner run (and carry the
 * real IDs, since inside the user is root). This process waits, forwards termination signals and
 * exits as the inner one did. Root and the inner run never get here, nor does a run started by the
 * native launcher (bin/selkie, native/conmon/selkie-launcher.c), which enters the namespace itself
 * and starts Node only once: this is the path of dist/cli/selkie.cjs run directly. The launcher's
 * needs_userns() follows needsUsernsReexec(): change both together.
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { pauseRunDir } from '../engine/rootless/pause-process.js';

export const USERNS_UID_ENV = '_SELKIE_USERNS_UID';
export const USERNS_GID_ENV = '_SELKIE_USERNS_GID';

/** Whether this process must re-run itself in the user namespace. */
export function needsUsernsReexec(argv: readonly string[]): boolean {
  if (process.getuid?.() === 0 || process.env[USERNS_UID_ENV] !== undefined) return false;
  // Help and version need no namespace (and work for a user without subordinate ranges).
  return !(argv.length === 0 || (argv.length === 1 && ['--help', '-h', '--version', '-v', 'help'].includes(argv[0]!)));
}

export function usernsReexec(script: string, argv: readonly string[]): void {
  const uid = process.getuid!();
  const env: NodeJS.ProcessEnv = { ...process.env, [USERNS_UID_ENV]: String(uid), [USERNS_GID_ENV]: String(process.getgid!()) };
  // Inside, the user is root: os.homedir() would say /root, so HOME and USER are fixed here.
  env.HOME ||= os.homedir();
  env.USER ||= os.userInfo().username;
  const helper = process.env.SELKIE_NATIVE_DIR
    ? path.join(process.env.SELKIE_NATIVE_DIR, 'selkie-userns')
    : path.join(__dirname, '..', '..', 'build', 'native', 'selkie-userns');
  // Sockets handed over by socket activation (fd 3...) go along; the helper rewrites LISTEN_PID.
  const listenFds = Number(process.env.LISTEN_FDS ?? 0) || 0;
  const stdio: (string | number)[] = ['inherit', 'inherit', 'inherit'];
  for (let i = 0; i < listenFds; i++) stdio.push(3 + i);
  const child = spawn(helper, [pauseRunDir(process.env, uid), process.execPath, ...process.execArgv, '--', script, ...argv], {
    stdio: stdio as ('inherit' | number)[],
    env,
  });
  const forward = (sig: NodeJS.Signals) => () => {
    child.kill(sig);
  };
  for (const sig of ['SIGTERM', 'SIGHUP', 'SIGUSR1', 'SIGUSR2', 'SIGQUIT'] as const) process.on(sig, forward(sig));
  // A terminal's ^C reaches the whole process group, the inner run included: only survive it here.
  process.on('SIGINT', () => {});
  child.on('error', (e: NodeJS.ErrnoException) => {
    const hint = e.code === 'ENOENT' ? ': build it with npm run build (or make -C native/conmon OUT=$PWD/build/native)' : '';
    process.stderr.write(`Error: cannot start Selkie's rootless helper ${helper}: ${e.message}${hint}\n`);
    process.exit(125);
  });
  child.on('exit', (code, signal) => {
    if (signal) {
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
      setTimeout(() => process.exit(128 + (os.constants.signals[signal] ?? 0)), 100);
      return;
    }
    process.exit(code ?? 125);
  });
}
