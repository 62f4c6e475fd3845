/**
 * Go text/template's predefined functions: and, or, not, len, index, slice, print, printf,
 * println, html, js, urlquery, eq, ne, lt, le, gt, ge. Argument counts are checked by the
 * evaluator from min/max; a function reports failures by throwing FuncError (printed as
 * "error calling NAME: ...") or ArgError (a bad argument type, printed as is).
 */
import { htmlEscape, jsEscape, queryEscape } from './escape.js';
import { byteLength, byteSlice, utf8Bytes } from './go-strings.js';
import { compareStrings, goKind, goTypeName, isNil, isTrue, lookupKey, mapSize, sliceItems } from './go-values.js';
import { sprint, sprintf, sprintln } from './printf.js';

/** A failure inside a function: "error calling NAME: message". */
export class FuncError extends Error {}

/** An argument of the wrong type: reported without the "error calling" prefix. */
export class ArgError extends Error {}

export interface GoFunc {
  min: number;
  /** Infinity for variadic functions. */
  max: number;
  call: (args: unknown[]) => unknown;
  /** `and` and `or` evaluate their arguments lazily, stopping at the first falsy/truthy one. */
  lazy?: 'and' | 'or';
}

export type FuncTable = ReadonlyMap<string, GoFunc>;

export function expectString(v: unknown): string {
  if (typeof v === 'string') return v;
  if (isNil(v)) throw new ArgError('invalid value; expected string');
  throw new ArgError(`wrong type for value; expected string; got ${goTypeName(v)}`);
}

export function expectInt(v: unknown): number {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'bigint') return Number(v);
  if (isNil(v)) throw new ArgError('invalid value; expected int');
  throw new ArgError(`wrong type for value; expected int; got ${goTypeName(v)}`);
}

function indexArg(v: unknown, length: number, what: string): number {
  if (isNil(v)) throw new FuncError(`cannot index ${what} with nil`);
  const k = goKind(v);
  if (k !== 'int') throw new FuncError(`cannot index ${what} with type ${goTypeName(v)}`);
  const i = Number(v);
  if (i < 0 || i >= length) throw new FuncError(`index out of range: ${i}`);
  return i;
}

function index(args: unknown[]): unknown {
  let item = args[0];
  for (const key of args.slice(1)) {
    if (isNil(item)) throw new FuncError('index of untyped nil');
    switch (goKind(item)) {
      case 'slice': {
        const items = sliceItems(item);
        item = items[indexArg(key, items.length, 'slice/array')];
        break;
      }
      case 'string': {
        const bytes = utf8Bytes(item as string);
        item = bytes[indexArg(key, bytes.length, 'string')];
        break;
      }
      case 'map':
        if (item instanceof Map) {
          item = item.get(key);
        } else {
          if (typeof key !== 'string') throw new FuncError(`value has type ${goTypeName(key)}; should be string`);
          item = lookupKey(item as object, key);
        }
        break;
      default:
        throw new FuncError(`can't index item of type ${goTypeName(item)}`);
    }
  }
  return item;
}

function sliceIndex(v: unknown, cap: number): number {
  if (goKind(v) !== 'int') throw new FuncError(`cannot index slice/array with type ${goTypeName(v)}`);
  const i = Number(v);
  if (i < 0 || i > cap) throw new FuncError(`index out of range: ${i}`);
  return i;
}

function slice(args: unknown[]): unknown {
  const [item, ...idx] = args;
  if (isNil(item)) throw new FuncError('slice of untyped nil');
  if (idx.length > 3) throw new FuncError(`too many slice indexes: ${idx.length}`);
  const kind = goKind(item);
  if (kind !== 'string' && kind !== 'slice') throw new FuncError(`can't slice item of type ${goTypeName(item)}`);
  if (kind === 'string' && idx.length === 3) throw new FuncError('cannot 3-index slice a string');
  const len = kind === 'string' ? byteLength(item as string) : sliceItems(item).length;
  const bounds = [0, len];
  idx.forEach((v, n) => {
    bounds[n] = sliceIndex(v, len);
  });
  const [i, j] = bounds as [number, number];
  if (i > j) throw new FuncError(`invalid slice index: ${i} > ${j}`);
  if (idx.length === 3 && j > bounds[2]!) throw new FuncError(`invalid slice index: ${j} > ${bounds[2]}`);
  return kind === 'string' ? byteSlice(item as string, i, j) : sliceItems(item).slice(i, j);
}

function len(args: unknown[]): number {
  const v = args[0];
  switch (goKind(v)) {
    case 'string':
      return byteLength(v as string);
    case 'slice':
      return sliceItems(v).length;
    case 'map':
      return mapSize(v);
    case 'nil':
      throw new FuncError('len of nil pointer');
    default:
      throw new FuncError(`len of type ${goTypeName(v)}`);
  }
}

/** The arguments of html/js/urlquery as one string (fmt.Sprint unless a single string). */
function evalArgs(args: unknown[]): string {
  return args.length === 1 && typeof args[0] === 'string' ? args[0] : sprint(...args);
}

// ---- comparisons ------------------------------------------------------------------------------

type Basic = 'bool' | 'number' | 'string' | 'nil' | 'other';

function basicKind(v: unknown): Basic {
  switch (goKind(v)) {
    case 'bool':
      return 'bool';
    case 'int':
    case 'float':
      return 'number';
    case 'string':
      return 'string';
    case 'nil':
      return 'nil';
    default:
      return 'other';
  }
}

/** JavaScript numbers compare by value whatever Go type they stand for (int and float alike). */
const num = (v: unknown): number | bigint => v as number | bigint;

function eq(args: unknown[]): boolean {
  const [a, ...rest] = args;
  if (rest.length === 0) throw new FuncError('missing argument for comparison');
  const ka = basicKind(a);
  for (const b of rest) {
    const kb = basicKind(b);
    let truth: boolean;
    if (ka !== kb) {
      if (ka !== 'nil' && kb !== 'nil') throw new FuncError('incompatible types for comparison');
      truth = false;
    } else if (ka === 'other') {
      if (a !== b) throw new FuncError(`non-comparable types ${goTypeName(a)} and ${goTypeName(b)}`);
      truth = true;
    } else {
      truth = ka === 'nil' || (ka === 'number' ? num(a) == num(b) : a === b);
    }
    if (truth) return true;
  }
  return false;
}

function lt(args: unknown[]): boolean {
  const [a, b] = args;
  const ka = basicKind(a);
  const kb = basicKind(b);
  if (ka === 'bool' || ka === 'nil' || ka === 'other' || kb === 'bool' || kb === 'nil' || kb === 'other') {
    throw new FuncError('invalid type for comparison');
  }
  if (ka !== kb) throw new FuncError('incompatible types for comparison');
  return ka === 'number' ? num(a) < num(b) : compareStrings(a as string, b as string) < 0;
}

const le = (args: unknown[]) => lt(args) || eq(args);

const fn = (min: number, max: number, call: (args: unknown[]) => unknown): GoFunc => ({ min, max, call });

/** Go's builtins. */
export const BUILTINS: FuncTable = new Map<string, GoFunc>([
  ['and', { min: 1, max: Infinity, call: () => undefined, lazy: 'and' }],
  ['or', { min: 1, max: Infinity, call: () => undefined, lazy: 'or' }],
  ['not', fn(1, 1, (a) => !isTrue(a[0]))],
  ['len', fn(1, 1, len)],
  ['index', fn(1, Infinity, index)],
  ['slice', fn(1, Infinity, slice)],
  ['print', fn(0, Infinity, (a) => sprint(...a))],
  ['printf', fn(1, Infinity, (a) => sprintf(expectString(a[0]), ...a.slice(1)))],
  ['println', fn(0, Infinity, (a) => sprintln(...a))],
  ['html', fn(0, Infinity, (a) => htmlEscape(evalArgs(a)))],
  ['js', fn(0, Infinity, (a) => jsEscape(evalArgs(a)))],
  ['urlquery', fn(0, Infinity, (a) => queryEscape(evalArgs(a)))],
  ['eq', fn(1, Infinity, eq)],
  ['ne', fn(2, 2, (a) => !eq(a))],
  ['lt', fn(2, 2, lt)],
  ['le', fn(2, 2, le)],
  ['gt', fn(2, 2, (a) => !le(a))],
  ['ge', fn(2, 2, (a) => !lt(a))],
]);
