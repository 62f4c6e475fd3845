/**
 * Tokens of the varlink IDL. `#` comments run to the end of the line; a run of comment lines
 * right before a token becomes that token's doc text (the parser keeps it for members and fields).
 */

export interface Token {
  kind: 'word' | 'punct' | 'end';
  /** The word (names, keywords, builtin types) or punctuation: ( ) , : ? [ ] ->. */
  text: string;
  line: number;
  /** Comment lines directly above this token (without `#` and one following space). */
  doc: string;
}

const brand = Symbol.for('selkie.VarlinkIdlError');

/** A syntax or reference error in a varlink interface definition, with its line number. */
export class VarlinkIdlError extends Error {
  readonly [brand] = true;
  constructor(
    readonly line: number,
    readonly detail: string,
  ) {
    super(`varlink interface definition, line ${line}: ${detail}`);
    this.name = 'VarlinkIdlError';
  }
}

export function isVarlinkIdlError(e: unknown): e is VarlinkIdlError {
  return typeof e === 'object' && e !== null && (e as Record<symbol, unknown>)[brand] === true;
}

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let line = 1;
  let doc: string[] = [];
  /** Line of the last comment in `doc`: a blank line between a comment and a token breaks the doc. */
  let docLine = 0;
  let i = 0;
  const push = (kind: Token['kind'], text: string) => {
    tokens.push({ kind, text, line, doc: docLine >= line - 1 ? doc.join('\n') : '' });
    doc = [];
  };
  while (i < source.length) {
    const c = source[i]!;
    if (c === '\n') {
      line++;
      i++;
    } else if (c === ' ' || c === '\t' || c === '\r') {
      i++;
    } else if (c === '#') {
      const end = source.indexOf('\n', i);
      const text = source.slice(i + 1, end < 0 ? source.length : end);
      // A trailing comment (after a token on the same line) documents nothing that follows.
      const trailing = tokens.length > 0 && tokens[tokens.length - 1]!.line === line;
      if (!trailing) {
        if (docLine < line - 1) doc = [];
        doc.push(text.startsWith(' ') ? text.slice(1) : text);
        docLine = line;
      }
      i = end < 0 ? source.length : end;
    } else if (/[A-Za-z_]/.test(c)) {
      let j = i + 1;
      while (j < source.length && /[A-Za-z0-9_.-]/.test(source[j]!)) j++;
      push('word', source.slice(i, j));
      i = j;
    } else if (c === '-' && source[i + 1] === '>') {
      push('punct', '->');
      i += 2;
    } else if ('(),:?[]'.includes(c)) {
      push('punct', c);
      i++;
    } else {
      throw new VarlinkIdlError(line, `unexpected character ${JSON.stringify(c)}`);
    }
  }
  tokens.push({ kind: 'end', text: '', line, doc: '' });
  return tokens;
}
