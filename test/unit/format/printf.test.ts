import { describe, expect, it } from 'vitest';
import { formatFloat } from '../../../src/cli/format/go-float.js';
import { sprint, sprintf, sprintln } from '../../../src/cli/format/printf.js';

// Expected strings are what Go's fmt prints for the same verb and value.
describe('sprintf: strings', () => {
  it.each([
    ['%s', 'abc', 'abc'],
    ['%5s', 'abc', '  abc'],
    ['%-5s', 'abc', 'abc  '],
    ['%05s', 'abc', '00abc'],
    ['%0-5s', 'abc', 'abc  '],
    ['%2s', '\u263a', ' ☺'],
    ['%.5s', 'abcdefghijklmnopqrstuvwxyz', 'abcde'],
    ['%.0s', '日本語日本語', ''],
    ['%.5s', '日本語日本語', '日本語日本'],
    ['%20.5s', 'qwertyuiop', '               qwert'],
    ['%-20.5s', 'qwertyuiop', 'qwert               '],
    ['%q', 'abc', '"abc"'],
    ['%#q', 'abc', '`abc`'],
    ['%q', '\n', '"\\n"'],
    ['%#q', '\n', '"\\n"'],
    ['%q', '\x07\b\f\n\r\t\v"\\', '"\\a\\b\\f\\n\\r\\t\\v\\"\\\\"'],
    ['%q', '日本語', '"日本語"'],
    ['%+q', '日本語', '"\\u65e5\\u672c\\u8a9e"'],
    ['%10q', '⌘', '       "⌘"'],
    ['%-10q', '⌘', '"⌘"       '],
    ['%.3q', '日本語日本語', '"日本語"'],
    ['%x', 'xyz', '78797a'],
    ['%X', 'xyz', '78797A'],
    ['% x', 'xyz', '78 79 7a'],
    ['%#x', 'xyz', '0x78797a'],
    ['%# x', 'xyz', '0x78 0x79 0x7a'],
    ['%.1x', '日本語', 'e6'],
    ['%v', 'plain', 'plain'],
    ['%#v', 'foo', '"foo"'],
  ])('%s of %j is %j', (verb, v, want) => {
    expect(sprintf(verb, v)).toBe(want);
  });
});

describe('sprintf: integers and runes', () => {
  it.each([
    ['%d', 12345, '12345'],
    ['%d', -12345, '-12345'],
    ['%v', 42, '42'],
    ['% d', 12345, ' 12345'],
    ['%+d', 12345, '+12345'],
    ['%10d', -12345, '    -12345'],
    ['%+10d', 12345, '    +12345'],
    ['%010d', 12345, '0000012345'],
    ['%010d', -12345, '-000012345'],
    ['%-10d', 42, '42        '],
    ['%20.8d', 1234, '            00001234'],
    ['%020.8d', -1234, '           -00001234'],
    ['%-20.8d', -1234, '-00001234           '],
    ['%.d', 0, ''],
    ['%6.0d', 0, '      '],
    ['%b', 7, '111'],
    ['%b', -6, '-110'],
    ['%#b', 7, '0b111'],
    ['%.20b', 7, '00000000000000000111'],
    ['%o', 0o1234, '1234'],
    ['%#o', 0o1234, '01234'],
    ['%O', 0o1234, '0o1234'],
    ['%x', 0x12abcdef, '12abcdef'],
    ['%X', 0x12abcdef, '12ABCDEF'],
    ['%#X', 0, '0X0'],
    ['%-#20.8x', 0x1234abc, '0x01234abc          '],
    ['%c', 0x672c, '本'],
    ['%3c', 0x2318, '  ⌘'],
    ['%-3c', 0x2318, '⌘  '],
    ['%c', -1, '\ufffd'],
    ['%q', 120, "'x'"],
    ['%q', 39, "'\\''"],
    ['%+q', 0x263a, "'\\u263a'"],
    ['%q', 0x0e00, "'\\u0e00'"],
    ['%U', 0x263a, 'U+263A'],
    ['%#U', 0x263a, "U+263A '☺'"],
    ['%#14.6U', 0x2318, "  U+002318 '⌘'"],
    ['%U', -1, 'U+FFFFFFFFFFFFFFFF'],
  ])('%s of %j is %j', (verb, v, want) => {
    expect(sprintf(verb, v)).toBe(want);
  });
});

describe('sprintf: floats', () => {
  it.each([
    ['%v', 1.2345678, '1.2345678'],
    ['%+.3e', 0, '+0.000e+00'],
    ['%+.3e', 1, '+1.000e+00'],
    ['%+.3f', -1, '-1.000'],
    ['%+07.2f', 1, '+001.00'],
    ['%+07.2f', -1, '-001.00'],
    ['%-07.2f', 1, '1.00   '],
    ['%+-07.2f', -1, '-1.00  '],
    ['%+10.2f', -1, '     -1.00'],
    ['% 07.2f', 1, ' 001.00'],
    ['%07.2f', -1, '-001.00'],
    ['%-05.1f', 1, '1.0  '],
    ['% .3E', -1, '-1.000E+00'],
    ['% .3e', 1, ' 1.000e+00'],
    ['%+.3g', 1, '+1'],
    ['% .3g', -1, '-1'],
    ['%#g', 1.1, '1.10000'],
    ['%#g', 123456, '123456.'],
    ['%#g', 1234567, '1.234567e+06'],
    ['%#g', 1000000, '1.00000e+06'],
    ['%#.0f', 1, '1.'],
    ['%#.0e', 1, '1.e+00'],
    ['%#.4g', 0.012, '0.01200'],
    ['%#.4g', 0, '0.000'],
    ['%#.4g', 100000, '1.000e+05'],
    ['%#9.4g', 1, '    1.000'],
    ['%e', 1234.5678e3, '1.234568e+06'],
    ['%e', 1234.5678e-8, '1.234568e-05'],
    ['%e', -1e-9, '-1.000000e-09'],
    ['%f', 1234.5678e3, '1234567.800000'],
    ['%f', 1234.5678e-8, '0.000012'],
    ['%f', -1e-9, '-0.000000'],
    ['%g', 1234.5678e3, '1.2345678e+06'],
    ['%g', 1234.5678e-8, '1.2345678e-05'],
    ['%g', -1e-9, '-1e-09'],
    ['%E', 1234.5678e3, '1.234568E+06'],
    ['%G', 1234.5678e-8, '1.2345678E-05'],
    ['%20.6e', 1.2345e3, '        1.234500e+03'],
    ['%20e', 1.2345e-3, '        1.234500e-03'],
    ['%20f', 1.23456789e3, '         1234.567890'],
    ['%20f', 12345678901.23456789, '  12345678901.234568'],
    ['%-20f', 1.23456789e3, '1234.567890         '],
    ['%20.8f', 1.23456789e-3, '          0.00123457'],
    ['%g', 1.23456789e3, '1234.56789'],
    ['%g', 1.23456789e-3, '0.00123456789'],
    ['%g', 1.23456789e20, '1.23456789e+20'],
    ['%5.2f', 3.14159, ' 3.14'],
    ['%.2v', 3.14159, '3.1'],
    ['%f', Infinity, '+Inf'],
    ['%.1f', -Infinity, '-Inf'],
    ['% f', NaN, ' NaN'],
    ['%v', NaN, 'NaN'],
    ['%20f', Infinity, '                +Inf'],
    ['%+020e', Infinity, '                +Inf'],
    ['%-020f', -Infinity, '-Inf                '],
  ])('%s of %j is %j', (verb, v, want) => {
    expect(sprintf(verb, v)).toBe(want);
  });

  it('rounds exact ties to even, as Go does (not like toFixed)', () => {
    expect(sprintf('%.0f %.0f %.0f %.2f %.1f', 0.5, 1.5, 2.5, 1.125, 0.05)).toBe('0 2 2 1.12 0.1');
  });

  it('formats integral numbers with float verbs instead of reporting a bad verb', () => {
    expect(sprintf('%.1f|%e', 2, 100)).toBe('2.0|1.000000e+02');
  });
});

describe('formatFloat (strconv)', () => {
  it.each([
    [1e21, 'g', -1, '1e+21'],
    [1e20, 'g', -1, '1e+20'],
    [999999, 'g', -1, '999999'],
    [1234567, 'g', -1, '1.234567e+06'],
    [0.0001, 'g', -1, '0.0001'],
    [0.00001, 'g', -1, '1e-05'],
    [608863452348.1149, 'g', -1, '6.088634523481149e+11'],
    [0, 'g', -1, '0'],
    [0, 'e', -1, '0e+00'],
    [100, 'e', -1, '1e+02'],
    [-0.5, 'f', -1, '-0.5'],
    [5e-324, 'e', 3, '4.941e-324'],
    [123.456, 'g', 4, '123.5'],
    [99.99, 'f', 1, '100.0'],
  ] as const)('%d %s %d is %s', (x, fmt, prec, want) => {
    expect(formatFloat(x, fmt, prec)).toBe(want);
  });
});

describe('sprintf: composite values and nil', () => {
  it.each([
    ['%v', [1, 2, 3], '[1 2 3]'],
    ['%v', [1, 'hello', 2.5, null], '[1 hello 2.5 <nil>]'],
    ['%d', [1, 2, 15], '[1 2 15]'],
    ['%x', [1, 2, 15], '[1 2 f]'],
    ['%#x', [1, 2, 15], '[0x1 0x2 0xf]'],
    ['%q', ['a', 'b'], '["a" "b"]'],
    ['%v', { b: 'x', a: 1 }, 'map[a:1 b:x]'],
    ['%v', { m: { z: [1], a: true } }, 'map[m:map[a:true z:[1]]]'],
    ['%#v', { a: 1 }, 'map[string]interface {}{"a":1}'],
    ['%v', [], '[]'],
    ['%v', {}, 'map[]'],
    ['%v', null, '<nil>'],
    ['%10v', null, '     <nil>'],
    ['%-10v', undefined, '<nil>     '],
    ['%T', 1, 'int'],
    ['%T', 1.5, 'float64'],
    ['%T', 'x', 'string'],
    ['%T', true, 'bool'],
    ['%T', ['x'], '[]interface {}'],
    ['%10T', null, '     <nil>'],
    ['%v', true, 'true'],
    ['%5t', true, ' true'],
  ])('%s of %j is %j', (verb, v, want) => {
    expect(sprintf(verb, v)).toBe(want);
  });
});

describe('sprintf: errors are printed inline', () => {
  it.each([
    [['%d', 'hi'], '%!d(string=hi)'],
    [['%s', 5], '%!s(int=5)'],
    [['%t', 's'], '%!t(string=s)'],
    [['%d', true], '%!d(bool=true)'],
    [['%d', 1.5], '%!d(float64=1.5)'],
    [['%s', null], '%!s(<nil>)'],
    [['%z', 1], '%!z(int=1)'],
    [['%d'], '%!d(MISSING)'],
    [['', 2], '%!(EXTRA int=2)'],
    [['', null], '%!(EXTRA <nil>)'],
    [['no args', 'hello'], 'no args%!(EXTRA string=hello)'],
    [['%d', 1, 'x', 2.5], '1%!(EXTRA string=x, float64=2.5)'],
    [['%s %', 'hello'], 'hello %!(NOVERB)'],
    [['%s %.2', 'hello'], 'hello %!(NOVERB)'],
    [['%.', 3], '%!.(int=3)'],
    [['%010.2', '12345'], '%!(NOVERB)%!(EXTRA string=12345)'],
    [['%%', 1], '%%!(EXTRA int=1)'],
    [['%5%'], '%'],
    [['%*d', 'x', 1], '%!(BADWIDTH)1'],
  ])('sprintf(%j) is %j', (args, want) => {
    const [format, ...rest] = args as [string, ...unknown[]];
    expect(sprintf(format, ...rest)).toBe(want);
  });
});

describe('sprintf: widths from arguments and explicit indexes', () => {
  it.each([
    [['%*d', 5, 42], '   42'],
    [['%-*d|', 4, 7], '7   |'],
    [['%*d', -4, 7], '7   '],
    [['%.*f', 2, 3.14159], '3.14'],
    [['%[2]d %[1]d', 1, 2], '2 1'],
    [['%[1]d %[1]x', 255], '255 ff'],
    [['%[3]*.[2]*[1]f', 12, 2, 6], ' 12.00'],
    [['%[1]*.[2]*[3]f', 6, 2, 12], ' 12.00'],
    [['%.[1]*[3]f', 6, 99, 12], '12.000000'],
    [['%[3]d', 1, 2], '%!d(BADINDEX)'],
    [['%[d', 2], '%!d(BADINDEX)'],
    [['%[5]d %[2]d %d', 1, 2, 3], '%!d(BADINDEX) 2 3'],
  ])('sprintf(%j) is %j', (args, want) => {
    const [format, ...rest] = args as [string, ...unknown[]];
    expect(sprintf(format, ...rest)).toBe(want);
  });
});

describe('sprint and sprintln', () => {
  it('adds spaces between operands when neither is a string', () => {
    expect(sprint('a', 1, 2, 'b')).toBe('a1 2b');
    expect(sprint(1, 2, 3)).toBe('1 2 3');
    expect(sprint('x', 'y')).toBe('xy');
    expect(sprint(null, 1)).toBe('<nil> 1');
  });

  it('always separates operands with spaces and ends with a newline', () => {
    expect(sprintln('a', 1, 'b')).toBe('a 1 b\n');
    expect(sprintln()).toBe('\n');
  });
});
