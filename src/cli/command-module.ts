/** What every module under commands/ exports as `command`. */
import type { Command } from 'commander';
import type { CliContext } from './context.js';

export interface CommandModule {
  /** Usage after the command path, e.g. "[OPTIONS] IMAGE [COMMAND] [ARG...]". */
  usage: string;
  /** Longer description for --help (defaults to the summary). */
  description?: string;
  /** Examples for --help. */
  examples?: string[];
  /** Add options and arguments. */
  configure(cmd: Command): void;
  /** Stop parsing options at the first positional argument (run, create, exec). */
  passThrough?: boolean;
  /** Run the command; the resolved number is the process exit code (default 0). */
  run(ctx: CliContext, args: string[], opts: Record<string, unknown>): Promise<number | void>;
}

/** Collect a repeatable option into an array: .option('-e, --env <env>', '...', collect, []). */
export const collect = (value: string, prev: string[] = []): string[] => [...prev, value];
