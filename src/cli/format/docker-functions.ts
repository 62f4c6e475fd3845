/**
 * The functions Docker adds to every --format template (docker/cli templates package):
 * json, split, join, title, lower, upper, pad, truncate — and the variants used when rendering a
 * table header, which pass the header text through unchanged (pad is not replaced, so headers
 * stay aligned with padded columns).
 */
import { goLower, goTitle, goUpper } from './escape.js';
import { goJson } from './go-json.js';
import { byteLength, byteSlice } from './go-strings.js';
import { goKind, goTypeName, isNil, sliceItems } from './go-values.js';
import { ArgError, BUILTINS, expectInt, expectString, FuncError, type FuncTable, type GoFunc } from './functions.js';
import { formatValue } from './printf.js';

/** Docker's json: compact, keys of maps sorted, HTML characters not escaped; "" if unencodable. */
function json(v: unknown): string {
  try {
    return goJson(v, { escapeHTML: false });
  } catch {
    return '';
  }
}

/** strings.Split; an empty separator splits into characters. */
function split(s: string, sep: string): string[] {
  return sep === '' ? Array.from(s) : s.split(sep);
}

/** strings.Join of a []string; elements that are not strings print as %v. */
function join(list: unknown, sep: string): string {
  if (isNil(list)) return '';
  if (goKind(list) !== 'slice') throw new ArgError(`wrong type for value; expected []string; got ${goTypeName(list)}`);
  return sliceItems(list)
    .map((item) => (typeof item === 'string' ? item : formatValue(item)))
    .join(sep);
}

/** Spaces around the text, unless it is empty. */
function pad(s: string, prefix: number, suffix: number): string {
  if (s === '') return s;
  if (prefix < 0 || suffix < 0) throw new FuncError('negative Repeat count');
  return ' '.repeat(prefix) + s + ' '.repeat(suffix);
}

/** The first `length` bytes of s (a character cut in the middle is dropped). */
function truncate(s: string, length: number): string {
  if (length < 0) throw new FuncError(`slice bounds out of range [:${length}]`);
  if (byteLength(s) < length) return s;
  return byteSlice(s, 0, length);
}

const fn = (min: number, max: number, call: (args: unknown[]) => unknown): GoFunc => ({ min, max, call });

export const DOCKER_FUNCTIONS: ReadonlyMap<string, GoFunc> = new Map([
  ['json', fn(1, 1, (a) => json(a[0]))],
  ['split', fn(2, 2, (a) => split(expectString(a[0]), expectString(a[1])))],
  ['join', fn(2, 2, (a) => join(a[0], expectString(a[1])))],
  ['title', fn(1, 1, (a) => goTitle(expectString(a[0])))],
  ['lower', fn(1, 1, (a) => goLower(expectString(a[0])))],
  ['upper', fn(1, 1, (a) => goUpper(expectString(a[0])))],
  ['pad', fn(3, 3, (a) => pad(expectString(a[0]), expectInt(a[1]), expectInt(a[2])))],
  ['truncate', fn(2, 2, (a) => truncate(expectString(a[0]), expectInt(a[1])))],
]);

const passHeader = (n: number) => fn(n, n, (a) => a[0]);

/** Header rendering: these functions return their first argument (the header text) unchanged. */
const HEADER_OVERRIDES: ReadonlyMap<string, GoFunc> = new Map([
  ['json', passHeader(1)],
  ['split', passHeader(2)],
  ['join', passHeader(2)],
  ['title', passHeader(1)],
  ['lower', passHeader(1)],
  ['upper', passHeader(1)],
  ['truncate', passHeader(2)],
]);

/** Every function a --format template can call. */
export const TEMPLATE_FUNCTIONS: FuncTable = new Map([...BUILTINS, ...DOCKER_FUNCTIONS]);

/** The same, for rendering table headers. */
export const HEADER_FUNCTIONS: FuncTable = new Map([...TEMPLATE_FUNCTIONS, ...HEADER_OVERRIDES]);
