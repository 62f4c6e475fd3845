/**
 * How JavaScript values look to the Go-template engine.
 *
 * Go is typed and JavaScript is not, so every value is classified into the Go kind it stands for:
 * `null`/`undefined` are nil, integral numbers are `int`, other numbers `float64`, arrays are slices,
 * `Date` is `time.Time`, and every other object (plain, class instance or `Map`) is a map keyed by
 * its property names. Field lookups, truthiness, key order and type names follow from that.
 */

export type GoKind = 'nil' | 'bool' | 'int' | 'float' | 'string' | 'slice' | 'map' | 'time' | 'func';

export function goKind(v: unknown): GoKind {
  switch (typeof v) {
    case 'undefined':
      return 'nil';
    case 'string':
      return 'string';
    case 'number':
      return Number.isInteger(v) ? 'int' : 'float';
    case 'bigint':
      return 'int';
    case 'boolean':
      return 'bool';
    case 'function':
      return 'func';
    case 'symbol':
      return 'string';
    default:
      if (v === null) return 'nil';
      if (Array.isArray(v) || v instanceof Uint8Array || v instanceof Set) return 'slice';
      if (v instanceof Date) return 'time';
      return 'map';
  }
}

export const isNil = (v: unknown): v is null | undefined => v === undefined || v === null;

/** The Go type name used in fmt's error verbs (`%!d(string=x)`) and template errors. */
export function goTypeName(v: unknown): string {
  switch (goKind(v)) {
    case 'nil':
      return '<nil>';
    case 'bool':
      return 'bool';
    case 'int':
      return typeof v === 'bigint' ? 'int64' : 'int';
    case 'float':
      return 'float64';
    case 'string':
      return 'string';
    case 'slice':
      return v instanceof Uint8Array ? '[]uint8' : '[]interface {}';
    case 'time':
      return 'time.Time';
    case 'func':
      return 'func()';
    default:
      return 'map[string]interface {}';
  }
}

/** The elements of a slice value. */
export function sliceItems(v: unknown): readonly unknown[] {
  if (Array.isArray(v)) return v;
  if (v instanceof Uint8Array || v instanceof Set) return Array.from(v as Iterable<unknown>);
  return [];
}

/** Compares strings the way Go does (by UTF-8 bytes, i.e. by code point). */
export function compareStrings(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // A surrogate (astral code point) sorts after every BMP code point, as in UTF-8.
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? 1 : -1;
    return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

function compareKeys(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return compareStrings(a, b);
  return compareStrings(String(a), String(b));
}

/** The entries of a map value in Go's order (sorted by key), as `range` and fmt visit them. */
export function mapEntries(v: unknown): [unknown, unknown][] {
  if (v instanceof Map) return [...v.entries()].sort((x, y) => compareKeys(x[0], y[0]));
  if (v === null || typeof v !== 'object') return [];
  const keys = Object.keys(v).sort(compareStrings);
  return keys.map((k) => [k, (v as Record<string, unknown>)[k]]);
}

export function mapSize(v: unknown): number {
  if (v instanceof Map) return v.size;
  return v !== null && typeof v === 'object' ? Object.keys(v).length : 0;
}

/**
 * Looks a field up on a map-like value: own properties, Map entries, and getters/methods of class
 * instances (never Object.prototype's). Returns undefined for a missing key, as Go's missing map key.
 */
export function lookupKey(v: object, name: string): unknown {
  if (v instanceof Map) return v.get(name);
  if (Object.prototype.hasOwnProperty.call(v, name)) return (v as Record<string, unknown>)[name];
  let proto = Object.getPrototypeOf(v) as object | null;
  while (proto !== null && proto !== Object.prototype) {
    if (Object.prototype.hasOwnProperty.call(proto, name)) return (v as Record<string, unknown>)[name];
    proto = Object.getPrototypeOf(proto) as object | null;
  }
  return undefined;
}

/** Go's truth: false, 0, nil, and empty strings, slices and maps are false. */
export function isTrue(v: unknown): boolean {
  switch (goKind(v)) {
    case 'nil':
      return false;
    case 'bool':
      return v as boolean;
    case 'int':
    case 'float':
      return typeof v === 'bigint' ? v !== 0n : v !== 0;
    case 'string':
      return (v as string).length > 0;
    case 'slice':
      return sliceItems(v).length > 0;
    case 'map': {
      // Plain objects and Maps are Go maps; class instances stand for structs, which are always true.
      const proto = Object.getPrototypeOf(v) as unknown;
      if (v instanceof Map || proto === Object.prototype || proto === null) return mapSize(v) > 0;
      return true;
    }
    default:
      return true;
  }
}

// ---------------------------------------------------------------------------------------------
// Objects that are Go maps rather than structs, for JSON key order.

const goMaps = new WeakSet<object>();

/**
 * Marks an object as a Go map: `json` prints its keys sorted, as Go's encoding/json does for maps.
 * Unmarked objects keep their insertion order, like Go structs (e.g. inspect output). Returns the
 * object, so producers can write `Labels: goMap(labels)`.
 */
export function goMap<T extends object>(v: T): T {
  goMaps.add(v);
  return v;
}

export const isGoMap = (v: object): boolean => v instanceof Map || goMaps.has(v);

// ---------------------------------------------------------------------------------------------
// time.Time

const pad2 = (n: number) => String(n).padStart(2, '0');

function fraction(d: Date): string {
  const ms = d.getUTCMilliseconds();
  return ms === 0 ? '' : `.${String(ms).padStart(3, '0').replace(/0+$/, '')}`;
}

function ymdhms(d: Date, sep: string): string {
  const y = String(d.getUTCFullYear()).padStart(4, '0');
  return `${y}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}${sep}${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
}

/** time.Time's String(), in UTC: `2024-01-02 15:04:05.5 +0000 UTC`. */
export function goTimeString(d: Date): string {
  if (Number.isNaN(d.getTime())) return '0001-01-01 00:00:00 +0000 UTC';
  return `${ymdhms(d, ' ')}${fraction(d)} +0000 UTC`;
}

/** time.Time's JSON form (RFC 3339 with nanoseconds, trailing zeros trimmed). */
export function goTimeRFC3339(d: Date): string {
  if (Number.isNaN(d.getTime())) return '0001-01-01T00:00:00Z';
  return `${ymdhms(d, 'T')}${fraction(d)}Z`;
}
