/** Shapes of the container operations beyond create/run: prune, exec, attach, top. */

export interface ContainerPruneReport {
  /** Full IDs of the removed containers. */
  removed: string[];
  /** Containers that could not be removed, with the reason. */
  errors: { id: string; message: string }[];
  /** Bytes their writable layers and bundles held. */
  reclaimedBytes: number;
}

export interface ExecOptions {
  /** The command and its arguments. */
  cmd: string[];
  /** Extra NAME=value entries on top of the container's environment. */
  env?: string[];
  user?: string;
  workdir?: string;
  tty?: boolean;
  /** Keep stdin open and relay it (-i). */
  interactive?: boolean;
  /** Run in the background: resolves with the session ID once the process started. */
  detach?: boolean;
  privileged?: boolean;
  detachKeys?: string;
}

export interface ExecResult {
  /** The exec session's ID. */
  sessionId: string;
  /** The process's exit code (undefined when detached, or when the user detached). */
  exitCode?: number;
}

export interface AttachOptions {
  /** Do not relay stdin even if the container has it open. */
  noStdin?: boolean;
  /** Docker syntax ("ctrl-p,ctrl-q"); "" disables. */
  detachKeys?: string;
}

export interface TopResult {
  titles: string[];
  processes: string[][];
}

/** A path inside a container, as `cp` sees it (Docker's container path stat). */
export interface ContainerPathStat {
  /** Base name of the path. */
  name: string;
  size: number;
  /** Go FileMode bits as Docker reports them are not needed: a plain kind and permission mode. */
  kind: 'file' | 'dir' | 'symlink' | 'other';
  mode: number;
  mtime: string;
  /** Symlink target (its own text), '' for others. */
  linkTarget: string;
}

export interface CopyFromOptions {
  /** Follow a symlink given as the source path (cp -L). */
  followLink?: boolean;
}

export interface CopyToOptions {
  /** Keep the archive's owners (cp -a); otherwise files belong to the container's root (0:0). */
  preserveOwnership?: boolean;
}

/** One change of a container's root filesystem against its image (Docker's Kind: 0 C, 1 A, 2 D). */
export interface FilesystemChange {
  Path: string;
  Kind: 0 | 1 | 2;
}

export interface CommitOptions {
  /** Name to tag the new image with. */
  reference?: string;
  message?: string;
  author?: string;
  /** Dockerfile instructions applied to the config (CMD, ENTRYPOINT, ENV, ..., ONBUILD). */
  changes?: string[];
  /** Pause a running container while its layer is read (default true, as Docker). */
  pause?: boolean;
  format?: 'oci' | 'docker';
}
