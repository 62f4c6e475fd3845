/**
 * Go's fmt package: Sprintf, Sprint and Sprintln over JavaScript values (see go-values.ts for how
 * values map to Go types). Verbs: %v %+v %#v %T %t %d %b %o %O %x %X %c %q %U %e %E %f %F %g %G %s %%,
 * flags `+ - # 0 space`, width and precision (also `*`), and explicit argument indexes (%[2]d).
 * Errors are printed inline as Go does: %!d(string=x), %!v(MISSING), %!(EXTRA int=1), %!(NOVERB).
 */
import { noFlags, Printer } from './fmt-printer.js';
import { wellFormed } from './go-strings.js';
import { goTypeName } from './go-values.js';

const MAX_NUM = 1e6;

function parseNum(s: string, i: number): { num: number; ok: boolean; next: number } {
  let num = 0;
  let ok = false;
  while (i < s.length && s[i]! >= '0' && s[i]! <= '9') {
    if (num > MAX_NUM) return { num: 0, ok: false, next: s.length }; // overflow: consume the rest
    num = num * 10 + (s.charCodeAt(i) - 48);
    ok = true;
    i++;
  }
  return { num, ok, next: i };
}

function intArg(args: readonly unknown[], n: number): { num: number; ok: boolean } {
  const v = args[n];
  if (typeof v === 'number' && Number.isInteger(v) && Math.abs(v) <= MAX_NUM) return { num: v, ok: true };
  if (typeof v === 'bigint' && v <= BigInt(MAX_NUM) && v >= -BigInt(MAX_NUM)) return { num: Number(v), ok: true };
  return { num: 0, ok: false };
}

/** fmt.Sprintf. */
export function sprintf(format: string, ...args: unknown[]): string {
  const p = new Printer();
  let argNum = 0;
  let reordered = false;
  let goodArgNum = true;
  const end = format.length;
  let i = 0;

  // Parses an explicit argument index "[n]" at i; true when one was found.
  const argNumber = (): boolean => {
    if (i >= end || format[i] !== '[') return false;
    reordered = true;
    const close = format.indexOf(']', i + 1);
    if (end - i < 3 || close < 0) {
      goodArgNum = false;
      i++;
      return false;
    }
    const { num, ok, next } = parseNum(format, i + 1);
    i = close + 1;
    if (!ok || next !== close) {
      goodArgNum = false;
      return false;
    }
    if (num < 1 || num > args.length) {
      goodArgNum = false;
      return true;
    }
    argNum = num - 1;
    return true;
  };

  while (i < end) {
    const pct = format.indexOf('%', i);
    if (pct < 0) {
      p.buf += format.slice(i);
      break;
    }
    p.buf += format.slice(i, pct);
    i = pct + 1;
    p.f = noFlags();
    const f = p.f;
    flags: for (; i < end; i++) {
      switch (format[i]) {
        case '#':
          f.sharp = true;
          break;
        case '0':
          f.zero = !f.minus;
          break;
        case '+':
          f.plus = true;
          break;
        case '-':
          f.minus = true;
          f.zero = false;
          break;
        case ' ':
          f.space = true;
          break;
        default:
          break flags;
      }
    }
    goodArgNum = true;
    let afterIndex = argNumber();
    // width
    if (i < end && format[i] === '*') {
      i++;
      const w = intArg(args, argNum);
      if (argNum < args.length) argNum++;
      f.wid = w.num;
      f.widPresent = w.ok;
      if (!w.ok) p.buf += '%!(BADWIDTH)';
      if (f.wid < 0) {
        f.wid = -f.wid;
        f.minus = true;
        f.zero = false;
      }
      afterIndex = false;
    } else {
      const w = parseNum(format, i);
      f.wid = w.num;
      f.widPresent = w.ok;
      i = w.next;
      if (afterIndex && f.widPresent) goodArgNum = false;
    }
    // precision
    if (i + 1 < end && format[i] === '.') {
      i++;
      if (afterIndex) goodArgNum = false;
      afterIndex = argNumber();
      if (i < end && format[i] === '*') {
        i++;
        const pr = intArg(args, argNum);
        if (argNum < args.length) argNum++;
        f.prec = pr.num;
        f.precPresent = pr.ok;
        if (f.prec < 0) {
          f.prec = 0;
          f.precPresent = false;
        }
        if (!pr.ok) p.buf += '%!(BADPREC)';
        afterIndex = false;
      } else {
        const pr = parseNum(format, i);
        f.prec = pr.ok ? pr.num : 0;
        f.precPresent = true;
        i = pr.next;
      }
    }
    if (!afterIndex) afterIndex = argNumber();
    if (i >= end) {
      p.buf += '%!(NOVERB)';
      break;
    }
    const verb = String.fromCodePoint(format.codePointAt(i)!);
    i += verb.length;
    if (verb === '%') {
      p.buf += '%';
    } else if (!goodArgNum) {
      p.buf += `%!${verb}(BADINDEX)`;
    } else if (argNum >= args.length) {
      p.buf += `%!${verb}(MISSING)`;
    } else {
      if (verb === 'v') {
        f.sharpV = f.sharp;
        f.sharp = false;
        f.plusV = f.plus;
        f.plus = false;
      }
      p.printArg(args[argNum], verb);
      argNum++;
    }
  }

  if (!reordered && argNum < args.length) {
    p.f = noFlags();
    p.buf += '%!(EXTRA ';
    args.slice(argNum).forEach((arg, n) => {
      if (n > 0) p.buf += ', ';
      if (arg === undefined || arg === null) {
        p.buf += '<nil>';
      } else {
        p.buf += `${goTypeName(arg)}=`;
        p.printArg(arg, 'v');
      }
    });
    p.buf += ')';
  }
  return p.buf;
}

/** fmt.Sprint: operands printed with %v, spaces added between operands when neither is a string. */
export function sprint(...args: unknown[]): string {
  const p = new Printer();
  let prevString = false;
  args.forEach((arg, n) => {
    const isString = typeof arg === 'string';
    if (n > 0 && !isString && !prevString) p.buf += ' ';
    p.printArg(arg, 'v');
    prevString = isString;
  });
  return p.buf;
}

/** fmt.Sprintln: operands printed with %v, always space-separated, with a trailing newline. */
export function sprintln(...args: unknown[]): string {
  const p = new Printer();
  args.forEach((arg, n) => {
    if (n > 0) p.buf += ' ';
    p.printArg(arg, 'v');
  });
  return `${p.buf}\n`;
}

/** One value as %v prints it (fmt.Sprint of a single operand). */
export function formatValue(v: unknown): string {
  if (typeof v === 'string') return wellFormed(v);
  if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
  const p = new Printer();
  p.printArg(v, 'v');
  return p.buf;
}
