/**
 * conmon's command line for creating a container, as Podman builds it (libpod sharedConmonArgs and
 * createOCIContainer): API version 1 (JSON {"data": N} on the sync pipe), the attach socket at
 * <bundle>/attach (--full-attach), the OCI runtime's global flags passed through --runtime-arg.
 */

export type ConmonLogDriver = 'k8s-file' | 'none' | 'passthrough' | 'journald';

export interface ConmonArgsInput {
  id: string;
  /** Default: the id. */
  name?: string;
  runtimePath: string;
  /** The runtime's global flags (--root DIR, --cgroup-manager=...). */
  runtimeArgs: readonly string[];
  bundle: string;
  /** The runtime writes the container's pid here. */
  pidFile: string;
  /** conmon writes its own (daemonized) pid here. */
  conmonPidFile: string;
  exitDir: string;
  persistDir?: string;
  /** Unused with --full-attach, but conmon needs a directory it can write. */
  socketDir?: string;
  logDriver?: ConmonLogDriver;
  logPath?: string;
  logSizeMax?: number;
  logTag?: string;
  /** conmon's own log level (error, warn, info, debug); default error. */
  logLevel?: string;
  syslog?: boolean;
  terminal?: boolean;
  stdin?: boolean;
  leaveStdinOpen?: boolean;
  /** Kill the container after this many seconds. */
  timeout?: number;
  /** Program and arguments conmon runs after the container exits (e.g. selkie container cleanup ID). */
  exitCommand?: readonly string[];
  exitDelay?: number;
  noPivot?: boolean;
  noNewKeyring?: boolean;
  sdNotifySocket?: string;
  /** Options for the runtime's create (conmon's --runtime-opt), e.g. --preserve-fds=N. */
  runtimeOpts?: readonly string[];
}

export function conmonArgs(o: ConmonArgsInput): string[] {
  const args = [
    '--api-version', '1',
    '-c', o.id,
    '-u', o.id,
    '-r', o.runtimePath,
    '-b', o.bundle,
    '-p', o.pidFile,
    '-n', o.name ?? o.id,
    '--exit-dir', o.exitDir,
    '--full-attach',
  ];
  for (const a of o.runtimeArgs) args.push('--runtime-arg', a);

  const driver = o.logDriver ?? 'k8s-file';
  if (driver === 'k8s-file') {
    if (!o.logPath) throw new Error('conmonArgs: k8s-file logging needs logPath');
    args.push('-l', `k8s-file:${o.logPath}`);
  } else {
    args.push('-l', driver);
  }
  args.push('--log-level', o.logLevel ?? 'error');
  if (o.syslog) args.push('--syslog');
  if (o.logSizeMax && o.logSizeMax > 0) args.push('--log-size-max', String(o.logSizeMax));
  if (o.logTag) args.push('--log-tag', o.logTag);
  if (o.sdNotifySocket) args.push(`--sdnotify-socket=${o.sdNotifySocket}`);
  for (const r of o.runtimeOpts ?? []) args.push('--runtime-opt', r);

  if (o.terminal) args.push('-t');
  else if (o.stdin) args.push('-i');
  if (o.stdin && o.leaveStdinOpen) args.push('--leave-stdin-open');
  if (o.timeout && o.timeout > 0) args.push(`--timeout=${o.timeout}`);
  if (o.noNewKeyring) args.push('--no-new-keyring');
  if (o.noPivot) args.push('--no-pivot');

  args.push('--conmon-pidfile', o.conmonPidFile);
  if (o.socketDir) args.push('--socket-dir-path', o.socketDir);
  if (o.persistDir) args.push('--persist-dir', o.persistDir);

  if (o.exitCommand && o.exitCommand.length > 0) {
    const [cmd, ...rest] = o.exitCommand;
    args.push('--exit-command', cmd!);
    for (const a of rest) args.push('--exit-command-arg', a);
    if (o.exitDelay && o.exitDelay > 0) args.push('--exit-delay', String(o.exitDelay));
  }
  return args;
}
