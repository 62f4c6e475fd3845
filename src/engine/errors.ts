/**
 * Errors are values: every failure the engine reports is a SelkieError with a message a user can act
 * on (what failed, on which object, what to try) and the exit code the CLI should use.
 */

/** Exit codes shared with Docker and Podman. */
export const ExitCode = {
  /** The engine itself failed (bad flags, unknown image, runtime error, ...). */
  Engine: 125,
  /** The container command exists but cannot be invoked (permission, not executable). */
  CannotInvoke: 126,
  /** The container command was not found. */
  NotFound: 127,
} as const;

export type ErrorKind =
  | 'usage' // bad command line: unknown flag, missing argument
  | 'not-found' // a named object does not exist
  | 'conflict' // name in use, container running, ...
  | 'invalid' // malformed input: reference, template, file content
  | 'state' // the state database or on-disk state is unusable
  | 'runtime' // conmon / OCI runtime failure
  | 'registry' // registry / network failure
  | 'auth' // authentication required or refused
  | 'missing-tool' // a host program or package is missing
  | 'cannot-invoke' // container command not executable (126)
  | 'command-not-found' // container command not found (127)
  | 'internal';

/** Marks SelkieErrors across separately bundled copies of this module (the CLI's command bundles). */
const brand = Symbol.for('selkie.SelkieError');

export class SelkieError extends Error {
  readonly [brand] = true;
  readonly kind: ErrorKind;
  readonly exitCode: number;
  /** A suggestion for what to try next, printed after the message. */
  readonly hint?: string;

  constructor(kind: ErrorKind, message: string, opts: { hint?: string; cause?: unknown; exitCode?: number } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'SelkieError';
    this.kind = kind;
    this.hint = opts.hint;
    this.exitCode =
      opts.exitCode ??
      (kind === 'cannot-invoke' ? ExitCode.CannotInvoke : kind === 'command-not-found' ? ExitCode.NotFound : ExitCode.Engine);
  }
}

export function isSelkieError(e: unknown): e is SelkieError {
  return typeof e === 'object' && e !== null && (e as Record<symbol, unknown>)[brand] === true;
}

export const usageError = (message: string, hint?: string) => new SelkieError('usage', message, { hint });
export const notFound = (what: string, name: string, hint?: string) =>
  new SelkieError('not-found', `${what} ${JSON.stringify(name)} not found`, { hint });
export const conflict = (message: string, hint?: string) => new SelkieError('conflict', message, { hint });
export const invalid = (message: string, hint?: string) => new SelkieError('invalid', message, { hint });
export const missingTool = (tool: string, debianPackage: string) =>
  new SelkieError('missing-tool', `${tool} not found on this host`, {
    hint: `install it with: apt-get install ${debianPackage} (or run npm start)`,
  });

/** The one-line form the CLI prints: "Error: message (hint)". */
export function describeError(e: unknown): string {
  if (isSelkieError(e)) return e.hint ? `${e.message}: ${e.hint}` : e.message;
  if (e instanceof Error) return e.message;
  return String(e);
}
