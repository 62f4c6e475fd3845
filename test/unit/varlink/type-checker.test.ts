import { describe, expect, it } from 'vitest';
import { parseInterface } from '../../../src/engine/varlink/idl-parser.js';
import { checkStruct } from '../../../src/engine/varlink/type-checker.js';
import { isVarlinkError } from '../../../src/engine/varlink/varlink-error.js';

const def = parseInterface(`
interface org.example.check
type Color (red, green, blue)
type Inner (n: int, tags: []string)
type All (
  b: bool, i: int, f: float, s: string, o: object,
  arr: []int, m: [string]string, st: Inner, e: Color,
  anon: (x: string), nb: ?bool, nested: ?[]?Inner, deep: [string][]Inner
)
method Take(all: All) -> (ok: bool)
`);
const allType = def.types.get('All')!.type;
if (allType.kind !== 'struct') throw new Error('All is a struct');
const all = allType;

function invalid(value: unknown): string {
  try {
    checkStruct(def, all, value);
  } catch (e) {
    if (isVarlinkError(e)) {
      expect(e.error).toBe('org.varlink.service.InvalidParameter');
      return String(e.parameters.parameter);
    }
    throw e;
  }
  throw new Error('accepted');
}

const zero = { b: false, i: 0, f: 0, s: '', o: {}, arr: [], m: {}, st: { n: 0, tags: [] }, e: '', anon: { x: '' }, deep: {} };

describe('varlink type checker', () => {
  it('gives every missing non-nullable field its zero value and leaves nullable ones out', () => {
    expect(checkStruct(def, all, {})).toEqual(zero);
    expect(checkStruct(def, all, undefined)).toEqual(zero);
    // Go's encoding/json also takes null for a non-nullable field as its zero value.
    expect(checkStruct(def, all, { s: null, st: null })).toEqual(zero);
  });

  it('accepts values of every kind and drops unknown fields', () => {
    const v = {
      b: true, i: -3, f: 1.5, s: 'x', o: { any: [1, { deep: true }] }, arr: [1, 2], m: { a: 'b' },
      st: { n: 2, tags: ['t'], extra: 1 }, e: 'green', anon: { x: 'y' }, nb: false,
      nested: [null, { n: 1 }], deep: { k: [{ n: 5 }] }, unknown: 'ignored',
    };
    expect(checkStruct(def, all, v)).toEqual({
      ...v, st: { n: 2, tags: ['t'] }, nested: [undefined, { n: 1, tags: [] }], deep: { k: [{ n: 5, tags: [] }] }, unknown: undefined,
    });
    expect(checkStruct(def, all, { f: 2 })).toMatchObject({ f: 2 });
  });

  it('names the parameter of the wrong type by its path', () => {
    expect(invalid({ b: 'true' })).toBe('b');
    expect(invalid({ i: 1.5 })).toBe('i');
    expect(invalid({ i: '1' })).toBe('i');
    expect(invalid({ f: 'NaN' })).toBe('f');
    expect(invalid({ s: 5 })).toBe('s');
    expect(invalid({ o: [] })).toBe('o');
    expect(invalid({ o: 'x' })).toBe('o');
    expect(invalid({ arr: {} })).toBe('arr');
    expect(invalid({ arr: [1, 'two'] })).toBe('arr[1]');
    expect(invalid({ m: [] })).toBe('m');
    expect(invalid({ m: { a: 1 } })).toBe('m["a"]');
    expect(invalid({ st: 'x' })).toBe('st');
    expect(invalid({ st: { tags: [1] } })).toBe('st.tags[0]');
    expect(invalid({ e: 'purple' })).toBe('e');
    expect(invalid({ e: 1 })).toBe('e');
    expect(invalid({ anon: { x: false } })).toBe('anon.x');
    expect(invalid({ nb: 'no' })).toBe('nb');
    expect(invalid({ nested: [{ n: 'one' }] })).toBe('nested[0].n');
    expect(invalid({ deep: { k: [{ n: true }] } })).toBe('deep["k"][0].n');
    expect(invalid([])).toBe('parameters');
  });

  it('gives a self-containing type a finite zero value', () => {
    const loop = parseInterface('interface a.b\ntype Node (name: string, next: Node, children: []Node)\nmethod M(n: Node) -> ()');
    expect(checkStruct(loop, loop.methods.get('M')!.input, {})).toEqual({ n: { name: '', next: {}, children: [] } });
  });

  it('checks method parameters the way a call carries them', () => {
    const take = def.methods.get('Take')!;
    expect(checkStruct(def, take.input, { all: { i: 1 } })).toEqual({ all: { ...zero, i: 1 } });
    expect(() => checkStruct(def, take.input, { all: { i: 'x' } })).toThrow(/InvalidParameter: parameter=all.i/);
  });
});
