import { describe, expect, it } from 'vitest';
import { SelkieError } from '../../../src/engine/errors.js';
import { goJson } from '../../../src/cli/format/go-json.js';
import { goMap } from '../../../src/cli/format/go-values.js';

describe('goJson (encoding/json)', () => {
  it('escapes like Go: HTML characters, line separators, control characters', () => {
    expect(goJson('<a href="x">&</a>')).toBe('"\\u003ca href=\\"x\\"\\u003e\\u0026\\u003c/a\\u003e"');
    expect(goJson('<&>', { escapeHTML: false })).toBe('"<&>"');
    expect(goJson('\u2028\u2029')).toBe('"\\u2028\\u2029"');
    expect(goJson('\u0001\u001f\b\f\n\r\t')).toBe('"\\u0001\\u001f\\b\\f\\n\\r\\t"');
    expect(goJson('quote " backslash \\ del \u007f é 😀')).toBe('"quote \\" backslash \\\\ del \u007f é 😀"');
    expect(goJson('lone \ud800 surrogate')).toBe('"lone \\ufffd surrogate"');
  });

  it('prints numbers as Go prints ints and float64s', () => {
    expect(goJson([0, -0, 42, 1.5, 1e20, 1e21, 1e-6, 1e-7, 123456789.125])).toBe(
      '[0,0,42,1.5,100000000000000000000,1e+21,0.000001,1e-7,123456789.125]',
    );
    expect(goJson(12n)).toBe('12');
  });

  it('rejects NaN and infinities as Go does', () => {
    expect(() => goJson(NaN)).toThrow(SelkieError);
    expect(() => goJson({ a: Infinity })).toThrow('json: unsupported value: +Inf');
  });

  it('keeps struct-like objects in insertion order and sorts Go maps', () => {
    expect(goJson({ b: 1, a: 2 })).toBe('{"b":1,"a":2}');
    expect(goJson(goMap({ b: 1, a: 2, B: 3 }))).toBe('{"B":3,"a":2,"b":1}');
    expect(goJson(new Map<string, number>([['z', 1], ['a', 2]]))).toBe('{"a":2,"z":1}');
    expect(goJson({ b: 1, a: { d: 1, c: 2 } }, { sortKeys: true })).toBe('{"a":{"c":2,"d":1},"b":1}');
  });

  it('encodes null, undefined, dates and byte arrays like Go values', () => {
    expect(goJson({ a: null, b: undefined, f: () => 1, c: [undefined] })).toBe('{"a":null,"c":[null]}');
    expect(goJson(new Date(Date.UTC(2024, 0, 2, 3, 4, 5)))).toBe('"2024-01-02T03:04:05Z"');
    expect(goJson(new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 120)))).toBe('"2024-01-02T03:04:05.12Z"');
    expect(goJson(new Uint8Array([104, 105]))).toBe('"aGk="');
    expect(goJson([])).toBe('[]');
    expect(goJson({})).toBe('{}');
  });

  it('indents like MarshalIndent', () => {
    expect(goJson([{ a: 1, b: [true, 'x'], c: {}, d: [] }], { indent: '    ' })).toBe(
      '[\n    {\n        "a": 1,\n        "b": [\n            true,\n            "x"\n        ],\n        "c": {},\n        "d": []\n    }\n]',
    );
  });

  it('reports cycles instead of overflowing', () => {
    const a: Record<string, unknown> = {};
    a.self = a;
    expect(() => goJson(a)).toThrow('encountered a cycle');
  });
});
