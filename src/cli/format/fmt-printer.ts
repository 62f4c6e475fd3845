/**
 * The value printer behind fmt's verbs: how one operand is formatted for one verb, with the
 * flags, width and precision of its directive. Used by printf.ts (Sprintf, Sprint, Sprintln).
 *
 * Deviation: an integral JavaScript number printed with a float verb (%f, %e, %g) is formatted as a
 * float, since JavaScript cannot tell 2 from 2.0; Go would print %!f(int=2).
 */
import { formatFloat, type FloatFormat } from './go-float.js';
import { canBackquote, firstRunes, isPrint, quote, quoteRune, runeCount, utf8Bytes, wellFormed } from './go-strings.js';
import { goKind, goTimeString, goTypeName, mapEntries, sliceItems } from './go-values.js';

export interface Flags {
  plus: boolean;
  minus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  plusV: boolean;
  sharpV: boolean;
  wid: number;
  widPresent: boolean;
  prec: number;
  precPresent: boolean;
}

export const noFlags = (): Flags => ({
  plus: false,
  minus: false,
  sharp: false,
  space: false,
  zero: false,
  plusV: false,
  sharpV: false,
  wid: 0,
  widPresent: false,
  prec: 0,
  precPresent: false,
});

export class Printer {
  buf = '';
  f: Flags = noFlags();

  // ---- padding -------------------------------------------------------------------------------

  private padding(n: number): string {
    return n > 0 ? (this.f.zero ? '0' : ' ').repeat(n) : '';
  }

  /** Writes s padded to the width (counted in runes), on the left unless the minus flag is set. */
  pad(s: string): void {
    const f = this.f;
    if (!f.widPresent || f.wid === 0) {
      this.buf += s;
      return;
    }
    const n = f.wid - runeCount(s);
    if (f.minus) this.buf += s + (n > 0 ? ' '.repeat(n) : '');
    else this.buf += this.padding(n) + s;
  }

  private truncate(s: string): string {
    return this.f.precPresent ? firstRunes(s, this.f.prec) : s;
  }

  // ---- scalars -------------------------------------------------------------------------------

  private fmtInteger(v: number | bigint, base: number, verb: string): void {
    const f = this.f;
    const big = typeof v === 'bigint' ? v : Number.isSafeInteger(v) ? null : BigInt(v);
    const negative = big !== null ? big < 0n : (v as number) < 0;
    let digits = big !== null ? (negative ? -big : big).toString(base) : Math.abs(v as number).toString(base);
    if (verb === 'X') digits = digits.toUpperCase();
    const isZero = digits === '0';
    let prec = 0;
    if (f.precPresent) {
      prec = f.prec;
      if (prec === 0 && isZero) {
        // Precision 0 and value 0 print nothing but the padding.
        const zero = f.zero;
        f.zero = false;
        this.buf += this.padding(f.wid);
        f.zero = zero;
        return;
      }
    } else if (f.zero && f.widPresent && !f.minus) {
      prec = f.wid;
      if (negative || f.plus || f.space) prec--; // leave room for the sign
    }
    if (digits.length < prec) digits = '0'.repeat(prec - digits.length) + digits;
    if (f.sharp) {
      if (base === 2) digits = `0b${digits}`;
      else if (base === 8 && digits[0] !== '0') digits = `0${digits}`;
      else if (base === 16) digits = (verb === 'X' ? '0X' : '0x') + digits;
    }
    if (verb === 'O') digits = `0o${digits}`;
    if (negative) digits = `-${digits}`;
    else if (f.plus) digits = `+${digits}`;
    else if (f.space) digits = ` ${digits}`;
    const zero = f.zero;
    f.zero = false;
    this.pad(digits);
    f.zero = zero;
  }

  private fmtUnicode(v: number | bigint): void {
    const f = this.f;
    let u = BigInt(v);
    if (u < 0n) u += 1n << 64n;
    let digits = u.toString(16).toUpperCase();
    const prec = f.precPresent && f.prec > 4 ? f.prec : 4;
    if (digits.length < prec) digits = '0'.repeat(prec - digits.length) + digits;
    let s = `U+${digits}`;
    if (f.sharp && u <= 0x10ffffn && isPrint(Number(u))) s += ` '${String.fromCodePoint(Number(u))}'`;
    const zero = f.zero;
    f.zero = false;
    this.pad(s);
    f.zero = zero;
  }

  private fmtFloat(v: number, verb: string, defaultPrec: number): void {
    const f = this.f;
    const prec = f.precPresent ? f.prec : defaultPrec;
    const format = (verb === 'v' ? 'g' : verb === 'F' ? 'f' : verb) as FloatFormat;
    let num = formatFloat(v, format, prec);
    if (num[0] !== '-' && num[0] !== '+') num = `+${num}`;
    if (f.space && num[0] === '+' && !f.plus) num = ` ${num.slice(1)}`;
    if (num[1] === 'I' || num[1] === 'N') {
      // Infinities and NaN are not padded with zeros; NaN shows a sign only when asked to.
      const zero = f.zero;
      f.zero = false;
      if (num[1] === 'N' && !f.space && !f.plus) num = num.slice(1);
      this.pad(num);
      f.zero = zero;
      return;
    }
    if (f.sharp) num = sharpFloat(num, verb, prec);
    if (f.plus || num[0] !== '+') {
      if (f.zero && f.widPresent && f.wid > num.length) {
        this.buf += num[0] + this.padding(f.wid - num.length) + num.slice(1);
        return;
      }
      this.pad(num);
      return;
    }
    this.pad(num.slice(1));
  }

  private fmtS(s: string): void {
    this.pad(this.truncate(s));
  }

  private fmtSx(s: string, upper: boolean): void {
    const f = this.f;
    let bytes = utf8Bytes(s);
    if (f.precPresent && f.prec < bytes.length) bytes = bytes.subarray(0, f.prec);
    const length = bytes.length;
    if (length === 0) {
      if (f.widPresent) this.buf += this.padding(f.wid);
      return;
    }
    let width = 2 * length;
    if (f.space) {
      if (f.sharp) width *= 2;
      width += length - 1;
    } else if (f.sharp) {
      width += 2;
    }
    if (f.widPresent && f.wid > width && !f.minus) this.buf += this.padding(f.wid - width);
    const prefix = upper ? '0X' : '0x';
    let out = f.sharp ? prefix : '';
    for (let i = 0; i < length; i++) {
      if (f.space && i > 0) out += f.sharp ? ` ${prefix}` : ' ';
      const h = bytes[i]!.toString(16).padStart(2, '0');
      out += upper ? h.toUpperCase() : h;
    }
    this.buf += out;
    if (f.widPresent && f.wid > width && f.minus) this.buf += ' '.repeat(f.wid - width);
  }

  private fmtQ(s: string): void {
    s = this.truncate(s);
    if (this.f.sharp && canBackquote(s)) this.pad(`\`${s}\``);
    else this.pad(quote(s, this.f.plus));
  }

  // ---- dispatch by type ----------------------------------------------------------------------

  printArg(arg: unknown, verb: string): void {
    if (arg === undefined || arg === null) {
      if (verb === 'T' || verb === 'v') this.pad('<nil>');
      else this.badVerb(verb, arg);
      return;
    }
    if (verb === 'T') {
      this.pad(goTypeName(arg));
      return;
    }
    switch (goKind(arg)) {
      case 'bool':
        if (verb === 't' || verb === 'v') this.pad(String(arg));
        else this.badVerb(verb, arg);
        return;
      case 'int':
        return this.printInt(arg as number | bigint, verb);
      case 'float':
        return this.printFloat(arg as number, verb);
      case 'string':
        return this.printString(String(arg), verb);
      case 'time':
        if ('vsqxX'.includes(verb)) return this.printString(goTimeString(arg as Date), verb);
        return this.badVerb(verb, arg);
      case 'slice':
      case 'map':
        return this.printComposite(arg, verb);
      default:
        // A function (a method of the data): Go would print its address.
        if (verb === 'v') return this.pad('<func>');
        return this.badVerb(verb, arg);
    }
  }

  private printInt(v: number | bigint, verb: string): void {
    switch (verb) {
      case 'v':
      case 'd':
        return this.fmtInteger(v, 10, verb);
      case 'b':
        return this.fmtInteger(v, 2, verb);
      case 'o':
      case 'O':
        return this.fmtInteger(v, 8, verb);
      case 'x':
      case 'X':
        return this.fmtInteger(v, 16, verb);
      case 'c': {
        const r = Number(v);
        const ok = r >= 0 && r <= 0x10ffff && !(r >= 0xd800 && r <= 0xdfff);
        return this.pad(ok ? String.fromCodePoint(r) : '\ufffd');
      }
      case 'q':
        if (v < 0 || v > 0x10ffff) return this.badVerb(verb, v);
        return this.pad(quoteRune(Number(v), this.f.plus));
      case 'U':
        return this.fmtUnicode(v);
      case 'e':
      case 'E':
      case 'f':
      case 'F':
      case 'g':
      case 'G':
        return this.printFloat(Number(v), verb);
      default:
        return this.badVerb(verb, v);
    }
  }

  private printFloat(v: number, verb: string): void {
    switch (verb) {
      case 'v':
      case 'g':
      case 'G':
        return this.fmtFloat(v, verb, -1);
      case 'e':
      case 'E':
      case 'f':
      case 'F':
        return this.fmtFloat(v, verb, 6);
      default:
        return this.badVerb(verb, v);
    }
  }

  private printString(s: string, verb: string): void {
    s = wellFormed(s);
    switch (verb) {
      case 'v':
        return this.f.sharpV ? this.fmtQ(s) : this.fmtS(s);
      case 's':
        return this.fmtS(s);
      case 'x':
      case 'X':
        return this.fmtSx(s, verb === 'X');
      case 'q':
        return this.fmtQ(s);
      default:
        return this.badVerb(verb, s);
    }
  }

  /** Slices print as [a b], maps as map[k:v] with sorted keys; the verb applies to each element. */
  private printComposite(v: unknown, verb: string): void {
    const sharpV = this.f.sharpV;
    if (goKind(v) === 'slice') {
      this.buf += sharpV ? `${goTypeName(v)}{` : '[';
      sliceItems(v).forEach((item, i) => {
        if (i > 0) this.buf += sharpV ? ', ' : ' ';
        this.printElement(item, verb);
      });
      this.buf += sharpV ? '}' : ']';
      return;
    }
    this.buf += sharpV ? `${goTypeName(v)}{` : 'map[';
    mapEntries(v).forEach(([key, value], i) => {
      if (i > 0) this.buf += sharpV ? ', ' : ' ';
      this.printElement(key, verb);
      this.buf += ':';
      this.printElement(value, verb);
    });
    this.buf += sharpV ? '}' : ']';
  }

  private printElement(v: unknown, verb: string): void {
    if (v === undefined || v === null) this.pad(this.f.sharpV ? 'interface {}(nil)' : '<nil>');
    else this.printArg(v, verb);
  }

  badVerb(verb: string, arg: unknown): void {
    this.buf += `%!${verb}(`;
    if (arg === undefined || arg === null) {
      this.buf += '<nil>';
    } else {
      this.buf += `${goTypeName(arg)}=`;
      this.printArg(arg, 'v');
    }
    this.buf += ')';
  }
}

/** The # flag on floats: keep a decimal point and (for %g) trailing zeros. */
function sharpFloat(num: string, verb: string, prec: number): string {
  let digits = 0;
  if (verb === 'v' || verb === 'g' || verb === 'G') digits = prec === -1 ? 6 : prec;
  let tail = '';
  let body = num;
  const e = body.search(/[eE]/);
  if (e >= 0) {
    tail = body.slice(e);
    body = body.slice(0, e);
  }
  let hasPoint = false;
  let sawNonzero = false;
  for (let i = 1; i < body.length; i++) {
    const c = body[i];
    if (c === '.') {
      hasPoint = true;
      continue;
    }
    if (c !== '0') sawNonzero = true;
    if (sawNonzero) digits--;
  }
  if (!hasPoint) {
    if (body.length === 2 && body[1] === '0') digits--; // a lone zero counts as one digit
    body += '.';
  }
  if (digits > 0) body += '0'.repeat(digits);
  return body + tail;
}
