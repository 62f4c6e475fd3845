/**
 * Go's encoding/json Marshal/MarshalIndent over JavaScript values.
 *
 * Differences from JSON.stringify that Docker users can see: <, > and & are escaped as \u003c,
 * \u003e, \u0026 (unless escapeHTML is off, as in Docker's `json` template function), U+2028 and
 * U+2029 are always escaped, control characters use \u00XX (with \b \f \n \r \t short forms),
 * lone surrogates become \ufffd, and maps (JS Maps and objects marked with goMap) have sorted keys.
 * Other objects keep their insertion order, as Go structs keep their declaration order.
 */
import { invalid } from '../../engine/errors.js';
import { compareStrings, goTimeRFC3339, isGoMap } from './go-values.js';

export interface JsonOptions {
  /** Indent unit for MarshalIndent; compact when absent. */
  indent?: string;
  /** Escape <, > and & (Go's default: true). */
  escapeHTML?: boolean;
  /** Sort the keys of every object, not only of Go maps. */
  sortKeys?: boolean;
}

const MAX_DEPTH = 1000;

export function encodeString(s: string, escapeHTML: boolean): string {
  let out = '"';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let rep: string | null = null;
    if (c < 0x20) {
      switch (c) {
        case 0x08:
          rep = '\\b';
          break;
        case 0x0c:
          rep = '\\f';
          break;
        case 0x0a:
          rep = '\\n';
          break;
        case 0x0d:
          rep = '\\r';
          break;
        case 0x09:
          rep = '\\t';
          break;
        default:
          rep = `\\u00${c.toString(16).padStart(2, '0')}`;
      }
    } else if (c === 0x22) {
      rep = '\\"';
    } else if (c === 0x5c) {
      rep = '\\\\';
    } else if (escapeHTML && (c === 0x3c || c === 0x3e || c === 0x26)) {
      rep = `\\u00${c.toString(16)}`;
    } else if (c === 0x2028 || c === 0x2029) {
      rep = `\\u${c.toString(16)}`;
    } else if (c >= 0xd800 && c <= 0xdfff) {
      const pair = c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
      if (pair) {
        i++;
        continue;
      }
      rep = '\\ufffd';
    }
    if (rep !== null) {
      out += s.slice(start, i) + rep;
      start = i + 1;
    }
  }
  return `${out + s.slice(start)}"`;
}

function encodeNumber(n: number): string {
  if (!Number.isFinite(n)) throw invalid(`json: unsupported value: ${n === Infinity ? '+Inf' : n === -Infinity ? '-Inf' : 'NaN'}`);
  // Go formats floats with 'f' unless |n| < 1e-6 or >= 1e21, and writes exponents as e-7, e+21:
  // exactly JavaScript's Number#toString. (-0 is integral, i.e. a Go int: "0".)
  return String(n);
}

class Encoder {
  private readonly seen = new Set<object>();

  constructor(private readonly opts: JsonOptions) {}

  encode(v: unknown, depth: number): string {
    switch (typeof v) {
      case 'undefined':
      case 'function':
      case 'symbol':
        return 'null';
      case 'string':
        return encodeString(v, this.opts.escapeHTML ?? true);
      case 'number':
        return encodeNumber(v);
      case 'bigint':
        return v.toString();
      case 'boolean':
        return v ? 'true' : 'false';
    }
    if (v === null) return 'null';
    if (v instanceof Date) return `"${goTimeRFC3339(v)}"`;
    if (v instanceof Uint8Array) return `"${Buffer.from(v).toString('base64')}"`;
    const obj = v as object;
    if (this.seen.has(obj) || depth > MAX_DEPTH) throw invalid('json: unsupported value: encountered a cycle');
    this.seen.add(obj);
    try {
      if (Array.isArray(obj) || obj instanceof Set) return this.array([...(obj as Iterable<unknown>)], depth);
      const toJSON = (obj as { toJSON?: unknown }).toJSON;
      if (typeof toJSON === 'function') return this.encode(toJSON.call(obj), depth + 1);
      return this.object(obj, depth);
    } finally {
      this.seen.delete(obj);
    }
  }

  private newline(depth: number): string {
    return this.opts.indent === undefined ? '' : `\n${this.opts.indent.repeat(depth)}`;
  }

  private array(items: unknown[], depth: number): string {
    if (items.length === 0) return '[]';
    const parts = items.map((item) => this.newline(depth + 1) + this.encode(item, depth + 1));
    return `[${parts.join(',')}${this.newline(depth)}]`;
  }

  private object(obj: object, depth: number): string {
    let entries: [string, unknown][] =
      obj instanceof Map ? [...obj.entries()].map(([k, val]) => [String(k), val]) : Object.entries(obj);
    entries = entries.filter(([, val]) => val !== undefined && typeof val !== 'function');
    if (this.opts.sortKeys || isGoMap(obj)) entries.sort((a, b) => compareStrings(a[0], b[0]));
    if (entries.length === 0) return '{}';
    const colon = this.opts.indent === undefined ? ':' : ': ';
    const escapeHTML = this.opts.escapeHTML ?? true;
    const parts = entries.map(
      ([k, val]) => this.newline(depth + 1) + encodeString(k, escapeHTML) + colon + this.encode(val, depth + 1),
    );
    return `{${parts.join(',')}${this.newline(depth)}}`;
  }
}

/** json.Marshal (or MarshalIndent with opts.indent); throws SelkieError for NaN, Inf and cycles. */
export function goJson(v: unknown, opts: JsonOptions = {}): string {
  return new Encoder(opts).encode(v, 0);
}
