/** Options every command accepts (before or after the command word), as Podman's persistent flags. */
import { Option, type Command } from 'commander';

export interface GlobalOptions {
  root?: string;
  runroot?: string;
  storageDriver?: string;
  storageOpt?: string[];
  runtime?: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  cgroupManager?: string;
  url?: string;
  remote?: boolean;
  identity?: string;
  connection?: string;
}

/** Global options that take a value (for the argv pre-scan that finds the command word). */
export const globalOptionsWithValue = new Set(['--root', '--runroot', '--storage-driver', '--storage-opt', '--runtime', '--log-level', '--cgroup-manager', '--url', '--identity', '--connection']);

/** Adds the global options a command does not define itself; returns their attribute names. */
export function addGlobalOptions(cmd: Command, hidden = false): string[] {
  const opts = [
    new Option('--root <path>', 'storage root directory (default /var/lib/selkie; ~/.local/share/selkie rootless)'),
    new Option('--runroot <path>', 'run-state directory (default /run/selkie; $XDG_RUNTIME_DIR/selkie rootless)'),
    new Option('--storage-driver <name>', 'storage driver').choices(['overlay', 'vfs']),
    new Option('--storage-opt <key=value>', 'storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs (repeatable)').argParser((v: string, prev: string[] = []) => [...prev, v]),
    new Option('--runtime <name|path>', 'OCI runtime to use (crun, runc or a path)'),
    new Option('--log-level <level>', 'log messages at or above this level').choices(['debug', 'info', 'warn', 'error']).default('warn'),
    new Option('--cgroup-manager <manager>', 'cgroup manager').choices(['cgroupfs', 'systemd']),
    new Option('--url <url>', 'remote engine: unix:///path/to/socket or ssh://user@host[:port][/path]'),
    new Option('-r, --remote', 'use the remote engine (default connection, or --url)'),
    new Option('--identity <file>', 'SSH identity file for --url ssh://'),
    new Option('--connection <name>', 'named remote connection (see system connection)'),
  ];
  // A command's own flag wins over a global one of the same name (image inspect --remote means
  // "in the registry", not "on a remote engine").
  const taken = new Set(cmd.options.flatMap((o) => [o.long, o.short].filter(Boolean)));
  const added: string[] = [];
  for (const o of opts) {
    if (taken.has(o.long)) continue;
    if (o.short && taken.has(o.short)) o.short = undefined;
    cmd.addOption(hidden ? o.hideHelp() : o);
    added.push(o.attributeName());
  }
  return added;
}
