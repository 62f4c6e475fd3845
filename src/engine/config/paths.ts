/**
 * Where Selkie keeps its state. Root: /var/lib/selkie and /run/selkie. Any other user:
 * ~/.local/share/selkie and $XDG_RUNTIME_DIR/selkie (fallback /tmp/selkie-UID), as Podman does.
 */
import os from 'node:os';
import path from 'node:path';

export interface EnginePaths {
  /** Persistent storage: database, layers, container layers, volumes. */
  graphRoot: string;
  /** Volatile state: runtime state, conmon pid files, attach sockets, exit files. */
  runRoot: string;
  rootless: boolean;
}

/**
 * Rootless: not root, or root only inside the user namespace the CLI re-ran itself in
 * (cli/userns-reexec.ts sets _SELKIE_USERNS_UID to the user's real UID).
 */
export function isRootless(): boolean {
  return process.env._SELKIE_USERNS_UID !== undefined || (typeof process.geteuid === 'function' && process.geteuid() !== 0);
}

/** The user's UID on the host (inside the user namespace, geteuid() says 0). */
export function hostUid(): number {
  const inner = process.env._SELKIE_USERNS_UID;
  return inner !== undefined ? Number(inner) : process.geteuid?.() ?? 0;
}

export function defaultPaths(env: NodeJS.ProcessEnv = process.env): EnginePaths {
  if (!isRootless()) return { graphRoot: '/var/lib/selkie', runRoot: '/run/selkie', rootless: false };
  const home = env.HOME || os.homedir();
  const dataHome = env.XDG_DATA_HOME || path.join(home, '.local', 'share');
  const uid = hostUid();
  const runtimeDir = env.XDG_RUNTIME_DIR || `/tmp/selkie-${uid}`;
  return {
    graphRoot: path.join(dataHome, 'selkie'),
    runRoot: env.XDG_RUNTIME_DIR ? path.join(runtimeDir, 'selkie') : runtimeDir,
    rootless: true,
  };
}
