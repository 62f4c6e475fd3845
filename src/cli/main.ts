/**
 * The CLI entry: find the command in argv, load only that command's module, parse its flags with
 * commander, run it against the Engine, and turn errors into one line and Docker's exit codes.
 */
import { Command, CommanderError } from 'commander';
import { asEngineError } from '../engine/engine-error.js';
import { ExitCode, SelkieError, describeError, isSelkieError } from '../engine/errors.js';
import { commands, managementCommands, resolveCommand, subcommandsOf } from './command-list.js';
import { CliContext } from './context.js';
import { addGlobalOptions, globalOptionsWithValue, type GlobalOptions } from './global-options.js';
import { groupHelp, rootHelp } from './help.js';
import { loadCommand } from './load-command.js';
import { suggest } from './suggest.js';
import { SELKIE_VERSION } from '../engine/version.js';
import { writeStderr, writeStdout } from './output/stdio-write.js';

export async function main(argv: string[]): Promise<number> {
  let ctx: CliContext | undefined;
  const debug = argv.includes('--log-level=debug') || argv.join(' ').includes('--log-level debug');
  try {
    const { before, words, rest } = splitArgv(argv);
    if (words.length === 0) {
      if (rest.includes('-v') || rest.includes('--version')) {
        writeStdout(`selkie version ${SELKIE_VERSION}\n`);
        return 0;
      }
      if (rest.length === 0 || rest.includes('--help') || rest.includes('-h')) {
        writeStdout(rootHelp());
        return 0;
      }
      throw new SelkieError('usage', `unknown flag: ${rest[0]}`, { hint: "see 'selkie --help'" });
    }
    const resolved = resolveCommand(words);
    if (!resolved) return unknownCommand(words);
    if (resolved.entry.module === 'help') return helpCommand(words.slice(1).concat(rest.filter((a) => !a.startsWith('-'))));
    const mod = await loadCommand(resolved.entry.module);
    const cmdArgs = [...before, ...words.slice(resolved.words), ...rest];

    const cmd = new Command(`selkie ${resolved.typed}`);
    cmd
      .usage(mod.usage)
      .description(mod.description ?? resolved.entry.summary)
      .helpOption('-h, --help', 'show this help')
      .allowExcessArguments(true)
      .exitOverride()
      .configureOutput({ writeErr: () => {}, outputError: () => {} });
    if (mod.passThrough) cmd.passThroughOptions();
    mod.configure(cmd);
    const globalNames = addGlobalOptions(cmd, true);
    if (mod.examples?.length) cmd.addHelpText('after', `\nExamples:\n${mod.examples.map((e) => `  ${e}`).join('\n')}\n`);
    try {
      cmd.parse(cmdArgs, { from: 'user' });
    } catch (e) {
      if (e instanceof CommanderError) {
        // commander has printed the help already.
        if (e.code === 'commander.helpDisplayed' || e.code === 'commander.help') return 0;
        throw new SelkieError('usage', e.message.replace(/^error: /, ''), { hint: `see 'selkie ${resolved.typed} --help'` });
      }
      throw e;
    }
    const opts = cmd.opts();
    const globals = Object.fromEntries(globalNames.filter((n) => opts[n] !== undefined).map((n) => [n, opts[n]]));
    ctx = new CliContext(globals as unknown as GlobalOptions, resolved.typed);
    const code = await mod.run(ctx, cmd.args, opts);
    return typeof code === 'number' ? code : 0;
  } catch (e) {
    return reportError(e, debug);
  } finally {
    await ctx?.close().catch(() => {});
  }
}

/** Split argv into global options before the command words, the command words, and the rest. */
function splitArgv(argv: string[]): { before: string[]; words: string[]; rest: string[] } {
  const before: string[] = [];
  let i = 0;
  while (i < argv.length && argv[i]!.startsWith('-') && argv[i] !== '-') {
    const a = argv[i]!;
    if (a === '--help' || a === '-h' || a === '--version' || a === '-v') break;
    before.push(a);
    if (globalOptionsWithValue.has(a) && i + 1 < argv.length) before.push(argv[++i]!);
    i++;
  }
  const words: string[] = [];
  // A command path has at most two words (management command + subcommand), three in a nested group (system connection add).
  while (i < argv.length && words.length < 3 && !argv[i]!.startsWith('-')) {
    const w = argv[i]!;
    if (words.length === 1 && !(words[0]! in managementCommands)) break;
    if (words.length === 2 && !commands.some((c) => [c.path, ...(c.aliases ?? [])].some((p) => p.startsWith(`${words[0]} ${words[1]} `)))) break;
    words.push(w);
    i++;
  }
  return { before, words, rest: argv.slice(i) };
}

function unknownCommand(words: string[]): number {
  const [first, second] = words;
  if (first! in managementCommands) {
    if (second === undefined) {
      writeStdout(groupHelp(first!));
      return 0;
    }
    const subs = subcommandsOf(first!).flatMap((c) => [c.path, ...(c.aliases ?? [])]).filter((p) => p.startsWith(`${first} `)).map((p) => p.slice(first!.length + 1));
    return reportError(
      new SelkieError('usage', `unknown command "${second}" for "selkie ${first}"`, { hint: hintFor(suggest(second!, subs), `selkie ${first} --help`) }),
      false,
    );
  }
  const names = [...new Set(commands.filter((c) => !c.hidden).flatMap((c) => [c.path, ...(c.aliases ?? [])]).map((p) => p.split(' ')[0]!))];
  return reportError(new SelkieError('usage', `unknown command "${first}" for "selkie"`, { hint: hintFor(suggest(first!, names), 'selkie --help') }), false);
}

function hintFor(suggestions: string[], help: string): string {
  return suggestions.length ? `did you mean ${suggestions.map((s) => `"${s}"`).join(' or ')}? See '${help}'` : `see '${help}'`;
}

async function helpCommand(words: string[]): Promise<number> {
  if (words.length === 0) {
    writeStdout(rootHelp());
    return 0;
  }
  if (words.length === 1 && words[0]! in managementCommands) {
    writeStdout(groupHelp(words[0]!));
    return 0;
  }
  return main([...words, '--help']);
}

function reportError(thrown: unknown, debug: boolean): number {
  const e = asEngineError(thrown);
  if (isSelkieError(e)) {
    writeStderr(`Error: ${describeError(e)}\n`);
    if (debug && e.stack) writeStderr(`${e.stack}\n`);
    return e.exitCode;
  }
  writeStderr(`Error: ${describeError(e)}\n`);
  if (debug && e instanceof Error && e.stack) writeStderr(`${e.stack}\n`);
  else writeStderr('(this is a bug in selkie; run again with --log-level=debug for details)\n');
  return ExitCode.Engine;
}
