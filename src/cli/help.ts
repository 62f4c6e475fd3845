/** Docker-style help for the root and for management commands (leaf commands use commander's). */
import { commands, managementCommands, subcommandsOf } from './command-list.js';

// Sorting uses plain comparisons, not localeCompare: starting ICU costs ~10 ms of start-up.
const pad = (s: string, n: number) => s + ' '.repeat(Math.max(1, n - s.length));

export function rootHelp(): string {
  const topLevel = new Map<string, string>();
  for (const c of commands) {
    if (c.hidden) continue;
    for (const p of [c.path, ...(c.aliases ?? [])]) if (!p.includes(' ')) topLevel.set(p, c.summary);
  }
  const lines = [
    'Usage:  selkie [OPTIONS] COMMAND',
    '',
    'A daemonless container engine',
    '',
    'Options:',
    '      --root string             storage root directory',
    '      --runroot string          run-state directory',
    '      --storage-driver string   storage driver (overlay, vfs)',
    '      --runtime string          OCI runtime (crun, runc or a path)',
    '      --cgroup-manager string   cgroup manager (cgroupfs, systemd)',
    '      --log-level string        log level (debug, info, warn, error) (default "warn")',
    '      --url string              remote engine URL (unix:// or ssh://)',
    '  -r, --remote                  use the remote engine',
    '  -v, --version                 print version information and quit',
    '',
    'Management Commands:',
    ...Object.entries(managementCommands).map(([n, s]) => `  ${pad(n, 12)}${s}`),
    '',
    'Commands:',
    ...[...topLevel.entries()].filter(([n]) => !(n in managementCommands)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([n, s]) => `  ${pad(n, 12)}${s}`),
    '',
    "Run 'selkie COMMAND --help' for more information on a command.",
    '',
  ];
  return lines.join('\n');
}

export function groupHelp(group: string): string {
  const subs = subcommandsOf(group).map((c) => {
    const p = [c.path, ...(c.aliases ?? [])].find((x) => x.startsWith(`${group} `))!;
    return [p.slice(group.length + 1), c.summary] as const;
  });
  return [
    `Usage:  selkie ${group} COMMAND`,
    '',
    managementCommands[group] ?? '',
    '',
    'Commands:',
    ...subs.map(([n, s]) => `  ${pad(n, 12)}${s}`),
    '',
    `Run 'selkie ${group} COMMAND --help' for more information on a command.`,
    '',
  ].join('\n');
}
