/**
 * Go's strconv.FormatFloat for the 'e', 'E', 'f' and 'g', 'G' formats, on float64 values.
 *
 * Precision -1 means "the fewest digits that read back as the same number" (JavaScript's
 * Number#toString produces exactly those digits). An explicit precision rounds the exact binary
 * value half-to-even, as Go does, which differs from Number#toFixed on exact ties (0.5, 2.5, 1.125).
 */

/** A decimal number 0.d1d2d3... × 10^dp; digits carry no trailing zeros ("" is zero). */
interface Decimal {
  d: string;
  dp: number;
}

/** The shortest digits that round-trip, from JavaScript's own formatting. */
function shortestDecimal(x: number): Decimal {
  if (x === 0) return { d: '', dp: 0 };
  const s = x.toExponential(); // "1.2345e+2": shortest round-trip digits
  const e = s.indexOf('e');
  const digits = s.slice(0, e).replace('.', '').replace(/0+$/, '');
  return { d: digits, dp: Number(s.slice(e + 1)) + 1 };
}

/** The exact decimal expansion of a finite positive double. */
function exactDecimal(x: number): Decimal {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  let mant = bits & ((1n << 52n) - 1n);
  let exp2: number;
  if (biased === 0) {
    exp2 = -1074;
  } else {
    mant |= 1n << 52n;
    exp2 = biased - 1075;
  }
  if (mant === 0n) return { d: '', dp: 0 };
  let digits: string;
  let dp: number;
  if (exp2 >= 0) {
    digits = (mant << BigInt(exp2)).toString();
    dp = digits.length;
  } else {
    // m / 2^k == m * 5^k / 10^k
    digits = (mant * 5n ** BigInt(-exp2)).toString();
    dp = digits.length + exp2;
  }
  return { d: digits.replace(/0+$/, ''), dp };
}

/** Rounds to nd significant digits, half to even on exact ties (Go's decimal.Round). */
function round(a: Decimal, nd: number): Decimal {
  if (nd < 0 || nd >= a.d.length) return a;
  const next = a.d.charCodeAt(nd) - 48;
  let up: boolean;
  if (next === 5 && nd + 1 === a.d.length) {
    up = nd > 0 && (a.d.charCodeAt(nd - 1) - 48) % 2 === 1;
  } else {
    up = next >= 5;
  }
  if (!up) return { d: a.d.slice(0, nd).replace(/0+$/, ''), dp: a.dp };
  // Round up: increment the last kept digit, carrying through nines.
  let i = nd - 1;
  while (i >= 0 && a.d[i] === '9') i--;
  if (i < 0) return { d: '1', dp: a.dp + 1 };
  return { d: a.d.slice(0, i) + String.fromCharCode(a.d.charCodeAt(i) + 1), dp: a.dp };
}

function fmtE(neg: boolean, a: Decimal, prec: number, e: 'e' | 'E'): string {
  let s = neg ? '-' : '';
  s += a.d.length ? a.d[0] : '0';
  if (prec > 0) {
    s += '.';
    const tail = a.d.slice(1, 1 + prec);
    s += tail + '0'.repeat(prec - tail.length);
  }
  const exp = a.d.length === 0 ? 0 : a.dp - 1;
  const abs = Math.abs(exp);
  s += `${e}${exp < 0 ? '-' : '+'}${abs < 10 ? '0' : ''}${abs}`;
  return s;
}

function fmtF(neg: boolean, a: Decimal, prec: number): string {
  let s = neg ? '-' : '';
  if (a.dp > 0) {
    const m = Math.min(a.d.length, a.dp);
    s += a.d.slice(0, m) + '0'.repeat(a.dp - m);
  } else {
    s += '0';
  }
  if (prec > 0) {
    s += '.';
    for (let i = 1; i <= prec; i++) {
      const j = a.dp + i - 1;
      s += j >= 0 && j < a.d.length ? a.d[j] : '0';
    }
  }
  return s;
}

export type FloatFormat = 'e' | 'E' | 'f' | 'g' | 'G';

/** strconv.FormatFloat(x, fmt, prec, 64). */
export function formatFloat(x: number, fmt: FloatFormat, prec: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return '+Inf';
  if (x === -Infinity) return '-Inf';
  const neg = x < 0 || Object.is(x, -0);
  const abs = Math.abs(x);
  const shortest = prec < 0;
  let a: Decimal;
  if (shortest) {
    a = shortestDecimal(abs);
    if (fmt === 'e' || fmt === 'E') prec = Math.max(a.d.length - 1, 0);
    else if (fmt === 'f') prec = Math.max(a.d.length - a.dp, 0);
    else prec = a.d.length;
  } else {
    a = exactDecimal(abs);
    if (fmt === 'e' || fmt === 'E') a = round(a, prec + 1);
    else if (fmt === 'f') a = round(a, a.dp + prec);
    else {
      if (prec === 0) prec = 1;
      a = round(a, prec);
    }
  }
  if (fmt === 'e' || fmt === 'E') return fmtE(neg, a, prec, fmt);
  if (fmt === 'f') return fmtF(neg, a, prec);
  // %g: %e for large or small exponents, %f otherwise; trailing zeros are dropped.
  let eprec = prec;
  if (eprec > a.d.length && a.d.length >= a.dp) eprec = a.d.length;
  if (shortest) eprec = 6;
  const exp = a.dp - 1;
  if (exp < -4 || exp >= eprec) {
    if (prec > a.d.length) prec = a.d.length;
    return fmtE(neg, a, prec - 1, fmt === 'g' ? 'e' : 'E');
  }
  if (prec > a.dp) prec = a.d.length;
  return fmtF(neg, a, Math.max(prec - a.dp, 0));
}
