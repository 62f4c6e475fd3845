/**
 * Reading systemd unit files in tests: sections and keys, and Exec lines split into argv the way
 * systemd does (backslash continuations, "…" quoting with \\ escapes, %t/%n/%% specifiers, $$),
 * so a test can run a generated ExecStart= by hand.
 */
export type UnitFile = Record<string, [string, string][]>;

export function parseUnit(text: string): UnitFile {
  const out: UnitFile = {};
  let section = '';
  const joined = text.replace(/[ \t]*\\\n\s*/g, ' ');
  for (const raw of joined.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const m = /^\[(.+)\]$/.exec(line);
    if (m) {
      section = m[1]!;
      out[section] ??= [];
      continue;
    }
    const eq = line.indexOf('=');
    out[section]!.push([line.slice(0, eq), line.slice(eq + 1)]);
  }
  return out;
}

export const values = (u: UnitFile, section: string, key: string): string[] => (u[section] ?? []).filter(([k]) => k === key).map(([, v]) => v);

export function execArgv(line: string, specifiers: { t: string; n: string }): string[] {
  const words: string[] = [];
  let i = 0;
  while (i < line.length) {
    while (line[i] === ' ' || line[i] === '\t') i++;
    if (i >= line.length) break;
    let w = '';
    if (line[i] === '"') {
      i++;
      while (i < line.length && line[i] !== '"') {
        if (line[i] === '\\') i++;
        w += line[i++];
      }
      i++;
    } else {
      while (i < line.length && line[i] !== ' ' && line[i] !== '\t') w += line[i++];
    }
    words.push(w.replace(/%([tn%])/g, (_, c: string) => (c === '%' ? '%' : c === 't' ? specifiers.t : specifiers.n)).replace(/\$\$/g, '$'));
  }
  return words;
}
