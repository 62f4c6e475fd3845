/**
 * Token access for the template parser: one-token-at-a-time reading from the lexer with pushback
 * (Go's parser needs up to three tokens of lookahead), and the parse errors worded as Go's.
 */
import type { SelkieError } from '../../engine/errors.js';
import { Lexer, type Token, type TokenType } from './lexer.js';
import { parseError } from './template-error.js';

/** How Go names a token in "unexpected X in Y". */
export function describe(t: Token): string {
  if (t.type === 'EOF') return 'EOF';
  if (t.type === 'keyword') return `<${t.val}>`;
  if (t.type === 'leftDelim' || t.type === 'rightDelim') return JSON.stringify(t.val);
  const v = [...t.val];
  return v.length > 10 ? `${JSON.stringify(v.slice(0, 10).join(''))}...` : JSON.stringify(t.val);
}

export class TokenReader {
  private readonly lexer: Lexer;
  private readonly back: Token[] = [];

  constructor(protected readonly src: string) {
    this.lexer = new Lexer(src);
  }

  protected next(): Token {
    return this.back.pop() ?? this.lexer.next();
  }

  protected backup(t: Token): void {
    this.back.push(t);
  }

  protected peek(): Token {
    const t = this.next();
    this.backup(t);
    return t;
  }

  protected nextNonSpace(): Token {
    let t: Token;
    do t = this.next();
    while (t.type === 'space');
    return t;
  }

  protected peekNonSpace(): Token {
    const t = this.nextNonSpace();
    this.backup(t);
    return t;
  }

  protected error(pos: number, message: string): SelkieError {
    return parseError(this.src, pos, message);
  }

  protected unexpected(t: Token, context: string): SelkieError {
    return this.error(t.pos, `unexpected ${describe(t)} in ${context}`);
  }

  protected expect(type: TokenType, context: string): Token {
    const t = this.nextNonSpace();
    if (t.type !== type) throw this.unexpected(t, context);
    return t;
  }
}
