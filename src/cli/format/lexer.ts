/**
 * The Go text/template lexer: splits a template into text and the tokens of `{{ }}` actions.
 * Tokens are produced on demand, so errors surface in source order as the parser reaches them.
 * Handles trim markers (`{{- ` and ` -}}`), comments (a slash-star comment filling an action,
 * which produces no token) and Go's literal syntax (strings, raw strings, runes, numbers with base prefixes and underscores).
 */
import type { SelkieError } from '../../engine/errors.js';
import { runeName } from './go-strings.js';
import { parseError } from './template-error.js';

export type TokenType =
  | 'text'
  | 'leftDelim'
  | 'rightDelim'
  | 'space'
  | 'identifier'
  | 'keyword'
  | 'field'
  | 'variable'
  | 'dot'
  | 'string'
  | 'rawString'
  | 'charConstant'
  | 'number'
  | 'bool'
  | 'nil'
  | 'pipe'
  | 'leftParen'
  | 'rightParen'
  | 'declare'
  | 'assign'
  | 'char'
  | 'EOF';

export interface Token {
  type: TokenType;
  val: string;
  pos: number;
}

export const KEYWORDS = new Set(['block', 'break', 'continue', 'define', 'else', 'end', 'if', 'range', 'template', 'with']);

const isSpace = (c: string | undefined) => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const alnum = /[\p{L}\p{Nd}_]/u;
const isAlphaNumeric = (c: string | undefined) => c !== undefined && (c === '_' || alnum.test(c));
const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';

export class Lexer {
  private pos = 0;
  private inAction = false;
  private parenDepth = 0;
  private actionStart = 0;
  private done = false;
  private readonly queue: Token[] = [];

  constructor(private readonly src: string) {}

  next(): Token {
    while (this.queue.length === 0) this.step();
    return this.queue.shift()!;
  }

  private emit(type: TokenType, start: number, end = this.pos): void {
    this.queue.push({ type, val: this.src.slice(start, end), pos: start });
  }

  private error(pos: number, message: string): SelkieError {
    return parseError(this.src, pos, message);
  }

  private step(): void {
    if (this.done) {
      this.queue.push({ type: 'EOF', val: '', pos: this.src.length });
      return;
    }
    if (this.inAction) this.lexInsideAction();
    else this.lexText();
  }

  private char(at = this.pos): string | undefined {
    const cp = this.src.codePointAt(at);
    return cp === undefined ? undefined : String.fromCodePoint(cp);
  }

  /** `{{-` followed by a space trims the text before it. */
  private hasLeftTrim(at: number): boolean {
    return this.src[at] === '-' && isSpace(this.src[at + 1]);
  }

  /** At `}}` or ` -}}`? */
  private atRightDelim(): { delim: boolean; trim: boolean } {
    const { src, pos } = this;
    if (isSpace(src[pos]) && src[pos + 1] === '-' && src.startsWith('}}', pos + 2)) return { delim: true, trim: true };
    return { delim: src.startsWith('}}', pos), trim: false };
  }

  private skipSpaces(): void {
    while (isSpace(this.src[this.pos])) this.pos++;
  }

  private lexText(): void {
    const { src } = this;
    const at = src.indexOf('{{', this.pos);
    if (at < 0) {
      if (this.pos < src.length) this.emit('text', this.pos, src.length);
      this.pos = src.length;
      this.done = true;
      return;
    }
    const trim = this.hasLeftTrim(at + 2);
    let textEnd = at;
    if (trim) while (textEnd > this.pos && isSpace(src[textEnd - 1])) textEnd--;
    if (textEnd > this.pos) this.emit('text', this.pos, textEnd);
    const afterMarker = at + 2 + (trim ? 2 : 0);
    if (src.startsWith('/*', afterMarker)) {
      this.pos = afterMarker;
      this.lexComment(at);
      return;
    }
    this.queue.push({ type: 'leftDelim', val: '{{', pos: at });
    this.actionStart = at;
    this.pos = afterMarker;
    this.inAction = true;
    this.parenDepth = 0;
  }

  private lexComment(start: number): void {
    const close = this.src.indexOf('*/', this.pos + 2);
    if (close < 0) throw this.error(start, 'unclosed comment');
    this.pos = close + 2;
    const { delim, trim } = this.atRightDelim();
    if (!delim) throw this.error(start, 'comment ends before closing delimiter');
    this.pos += trim ? 4 : 2;
    if (trim) this.skipSpaces();
  }

  private lexInsideAction(): void {
    const { src } = this;
    const { delim, trim } = this.atRightDelim();
    if (delim) {
      if (this.parenDepth > 0) throw this.error(this.pos, 'unclosed left paren');
      const at = this.pos + (trim ? 2 : 0);
      this.queue.push({ type: 'rightDelim', val: '}}', pos: at });
      this.pos = at + 2;
      if (trim) this.skipSpaces();
      this.inAction = false;
      return;
    }
    const start = this.pos;
    const c = this.char();
    if (c === undefined) throw this.error(this.actionStart, 'unclosed action');
    if (isSpace(c)) return this.lexSpace();
    switch (c) {
      case '=':
        this.pos++;
        return this.emit('assign', start);
      case ':':
        if (src[start + 1] !== '=') throw this.error(start, 'expected :=');
        this.pos += 2;
        return this.emit('declare', start);
      case '|':
        this.pos++;
        return this.emit('pipe', start);
      case '"':
        return this.lexQuote('"', 'string', 'unterminated quoted string');
      case "'":
        return this.lexQuote("'", 'charConstant', 'unterminated character constant');
      case '`': {
        const close = src.indexOf('`', start + 1);
        if (close < 0) throw this.error(start, 'unterminated raw quoted string');
        this.pos = close + 1;
        return this.emit('rawString', start);
      }
      case '$':
        this.pos++;
        return this.lexWord('variable', start);
      case '.':
        if (!isDigit(src[start + 1])) {
          this.pos++;
          return this.lexWord('field', start);
        }
        return this.lexNumber();
      case '(':
        this.pos++;
        this.parenDepth++;
        return this.emit('leftParen', start);
      case ')':
        this.pos++;
        this.parenDepth--;
        if (this.parenDepth < 0) throw this.error(start, 'unexpected right paren');
        return this.emit('rightParen', start);
    }
    if (c === '+' || c === '-' || isDigit(c)) return this.lexNumber();
    if (isAlphaNumeric(c)) return this.lexIdentifier();
    const cp = c.codePointAt(0)!;
    if (cp < 0x7f && cp >= 0x20) {
      this.pos++;
      return this.emit('char', start);
    }
    throw this.error(start, `unrecognized character in action: ${runeName(cp)}`);
  }

  private lexSpace(): void {
    const start = this.pos;
    this.skipSpaces();
    // A space before a trimming right delimiter belongs to the delimiter.
    if (this.src[this.pos] === '-' && this.src.startsWith('}}', this.pos + 1)) {
      this.pos--;
      if (this.pos === start) return;
    }
    this.emit('space', start);
  }

  private lexQuote(quote: string, type: TokenType, unterminated: string): void {
    const start = this.pos;
    let i = start + 1;
    for (;;) {
      const c = this.src[i];
      if (c === '\\') {
        i++;
        if (this.src[i] === undefined || this.src[i] === '\n') throw this.error(start, unterminated);
      } else if (c === undefined || c === '\n') {
        throw this.error(start, unterminated);
      } else if (c === quote) {
        break;
      }
      i++;
    }
    this.pos = i + 1;
    this.emit(type, start);
  }

  private atTerminator(): boolean {
    const c = this.src[this.pos];
    if (c === undefined || isSpace(c) || '.,|:()'.includes(c)) return true;
    return this.src.startsWith('}}', this.pos);
  }

  private terminate(type: TokenType, start: number): void {
    if (!this.atTerminator()) throw this.error(this.pos, `bad character ${runeName(this.src.codePointAt(this.pos)!)}`);
    this.emit(type, start);
  }

  /** `$name`, `$`, `.Field` or `.`. */
  private lexWord(type: 'variable' | 'field', start: number): void {
    if (this.atTerminator()) return this.emit(type === 'field' ? 'dot' : 'variable', start);
    while (isAlphaNumeric(this.char())) this.pos += this.char()!.length;
    this.terminate(type, start);
  }

  private lexIdentifier(): void {
    const start = this.pos;
    while (isAlphaNumeric(this.char())) this.pos += this.char()!.length;
    const word = this.src.slice(start, this.pos);
    if (KEYWORDS.has(word)) return this.terminate('keyword', start);
    if (word === 'true' || word === 'false') return this.terminate('bool', start);
    if (word === 'nil') return this.terminate('nil', start);
    this.terminate('identifier', start);
  }

  private accept(chars: string): boolean {
    const c = this.src[this.pos];
    if (c !== undefined && chars.includes(c)) {
      this.pos++;
      return true;
    }
    return false;
  }

  private acceptRun(chars: string): void {
    while (this.accept(chars));
  }

  private lexNumber(): void {
    const start = this.pos;
    this.accept('+-');
    let digits = '0123456789_';
    if (this.accept('0')) {
      if (this.accept('xX')) digits = '0123456789abcdefABCDEF_';
      else if (this.accept('oO')) digits = '01234567_';
      else if (this.accept('bB')) digits = '01_';
    }
    this.acceptRun(digits);
    if (this.accept('.')) this.acceptRun(digits);
    if (digits.length === 11 && this.accept('eE')) {
      this.accept('+-');
      this.acceptRun('0123456789_');
    }
    if (digits.length === 23 && this.accept('pP')) {
      this.accept('+-');
      this.acceptRun('0123456789_');
    }
    this.accept('i');
    if (isAlphaNumeric(this.char())) {
      this.pos += this.char()!.length;
      throw this.error(start, `bad number syntax: ${JSON.stringify(this.src.slice(start, this.pos))}`);
    }
    this.emit('number', start);
  }
}
