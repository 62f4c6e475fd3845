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
