/**
 * Go literal syntax used inside template actions: interpreted strings ("a\tb"), raw strings
 * (`a\tb`), rune constants ('a', '\n') and numbers (0x1F, 0o17, 0b101, 1_000, 1.5e3, 0x1p-2).
 */

const SIMPLE_ESCAPES: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92 };

const isHex = (s: string) => /^[0-9a-fA-F]+$/.test(s);

/**
 * Decodes the escapes of a quoted literal body into code points / raw bytes.
 * Returns null on invalid syntax (as strconv.Unquote reports ErrSyntax).
 */
function unescape(body: string, quote: '"' | "'"): number[] | null {
  const bytes: number[] = [];
  const pushRune = (r: number) => bytes.push(...Buffer.from(String.fromCodePoint(r), 'utf8'));
  for (let i = 0; i < body.length; ) {
    const cp = body.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    if (ch !== '\\') {
      if (ch === quote || ch === '\n') return null;
      pushRune(cp);
      i += ch.length;
      continue;
    }
    const e = body[i + 1];
    if (e === undefined) return null;
    i += 2;
    if (e in SIMPLE_ESCAPES) {
      bytes.push(SIMPLE_ESCAPES[e]!);
    } else if (e === '"' || e === "'") {
      if (e !== quote) return null;
      bytes.push(e.charCodeAt(0));
    } else if (e === 'x' || e === 'u' || e === 'U') {
      const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const hex = body.slice(i, i + n);
      if (hex.length !== n || !isHex(hex)) return null;
      i += n;
      const v = parseInt(hex, 16);
      if (e === 'x') {
        // In a rune literal \xNN is the rune U+00NN; in a string it is a raw byte.
        if (quote === "'") pushRune(v);
        else bytes.push(v);
      } else {
        if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) return null;
        pushRune(v);
      }
    } else if (e >= '0' && e <= '7') {
      const oct = body.slice(i - 1, i + 2);
      if (!/^[0-7]{3}$/.test(oct)) return null;
      i += 2;
      const v = parseInt(oct, 8);
      if (v > 255) return null;
      if (quote === "'") pushRune(v);
      else bytes.push(v);
    } else {
      return null;
    }
  }
  return bytes;
}

/** strconv.Unquote for "..." and `...`; null on invalid syntax. */
export function unquote(text: string): string | null {
  if (text.startsWith('`')) return text.slice(1, -1).replaceAll('\r', '');
  const bytes = unescape(text.slice(1, -1), '"');
  return bytes === null ? null : Buffer.from(bytes).toString('utf8');
}

/** The value of a rune constant like 'a' or '\n'; null on invalid syntax. */
export function unquoteRune(text: string): number | null {
  const bytes = unescape(text.slice(1, -1), "'");
  if (bytes === null) return null;
  const s = Buffer.from(bytes).toString('utf8');
  const cp = s.codePointAt(0);
  return cp !== undefined && String.fromCodePoint(cp).length === s.length ? cp : null;
}

const INT64_MAX = (1n << 63n) - 1n;
const UINT64_MAX = (1n << 64n) - 1n;

/** Underscores must separate digits (a base prefix counts as a digit). */
function underscoresOK(s: string): boolean {
  if (!s.includes('_')) return true;
  const body = /^0[xXbBoO]/.test(s) ? `0${s.slice(2)}` : s;
  return !/(^_|_$|__|_\.|\._|_[eEpP]|[eEpP][+-]?_)/.test(body);
}

function parseInteger(s: string): bigint | null {
  let neg = false;
  if (s[0] === '+' || s[0] === '-') {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (!underscoresOK(s)) return null;
  const clean = s.replaceAll('_', '');
  let v: bigint;
  if (/^0[xX][0-9a-fA-F]+$/.test(clean) || /^0[bB][01]+$/.test(clean) || /^0[oO][0-7]+$/.test(clean)) {
    v = BigInt(clean.toLowerCase());
  } else if (/^0[0-7]+$/.test(clean)) {
    v = BigInt(`0o${clean.slice(1)}`);
  } else if (/^0[0-9]+$/.test(clean)) {
    return null; // a leading 0 means octal
  } else if (/^[0-9]+$/.test(clean)) {
    v = BigInt(clean);
  } else {
    return null;
  }
  return neg ? -v : v;
}

function parseFloat64(s: string): number | null {
  let sign = 1;
  if (s[0] === '+' || s[0] === '-') {
    sign = s[0] === '-' ? -1 : 1;
    s = s.slice(1);
  }
  if (!underscoresOK(s)) return null;
  const clean = s.replaceAll('_', '');
  if (/^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(clean)) return sign * Number(clean);
  const hex = /^0[xX]([0-9a-fA-F]*)\.?([0-9a-fA-F]*)[pP]([+-]?\d+)$/.exec(clean);
  if (hex && (hex[1] || hex[2])) {
    const mant = parseInt(`${hex[1]}${hex[2]}` || '0', 16);
    return sign * mant * 2 ** (Number(hex[3]) - 4 * hex[2]!.length);
  }
  return null;
}

export interface NumberValue {
  value: number;
  isInt: boolean;
}

/** Parses a number literal as the template parser does; a string is an error message. */
export function parseNumber(text: string): NumberValue | string {
  if (text.endsWith('i')) return `complex numbers are not supported: ${JSON.stringify(text)}`;
  const i = parseInteger(text);
  if (i !== null) {
    if (i > UINT64_MAX || i < -INT64_MAX - 1n) return `integer overflow: ${JSON.stringify(text)}`;
    return { value: Number(i), isInt: true };
  }
  const f = parseFloat64(text);
  if (f === null) return `illegal number syntax: ${JSON.stringify(text)}`;
  if (!/[.eEpP]/.test(text)) return `integer overflow: ${JSON.stringify(text)}`;
  return { value: f, isInt: Number.isInteger(f) };
}
