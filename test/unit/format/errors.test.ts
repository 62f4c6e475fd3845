import { describe, expect, it } from 'vitest';
import { SelkieError } from '../../../src/engine/errors.js';
import { compileTemplate } from '../../../src/cli/format/template.js';

function failure(src: string, data?: unknown): SelkieError {
  try {
    compileTemplate(src).render(data);
  } catch (e) {
    expect(e).toBeInstanceOf(SelkieError);
    expect((e as SelkieError).kind).toBe('invalid');
    expect((e as SelkieError).exitCode).toBe(125);
    return e as SelkieError;
  }
  throw new Error(`expected ${src} to fail`);
}

describe('parse errors name the problem and its line:column', () => {
  it.each([
    ['{{.A', ':1:0: unclosed action'],
    ['ab\ncd {{.A', ':2:3: unclosed action'],
    ['{{foo .}}', ':1:2: function "foo" not defined'],
    ['x {{end}}', ':1:4: unexpected {{end}}'],
    ['{{else}}', ':1:2: unexpected {{else}}'],
    ['{{if .A}}x', 'unexpected EOF'],
    ['{{if 1}}{{else}}{{else}}{{end}}', ':1:18: expected end; found {{else}}'],
    ['{{range}}{{end}}', 'missing value for range'],
    ['{{if}}{{end}}', 'missing value for if'],
    ['{{$x}}', ':1:2: undefined variable "$x"'],
    ['{{$x = 1}}', 'undefined variable "$x"'],
    ['{{with $x := 1}}{{end}}{{$x}}', 'undefined variable "$x"'],
    ['{{break}}', ':1:2: {{break}} outside {{range}}'],
    ['{{continue}}', '{{continue}} outside {{range}}'],
    ['{{.A | "x"}}', 'non executable command in pipeline stage 2'],
    ['{{/* c', ':1:0: unclosed comment'],
    ['{{/* c */ .A}}', 'comment ends before closing delimiter'],
    ['{{ # }}', ':1:3: unexpected "#" in command'],
    ['{{ .A"x" }}', `:1:5: bad character U+0022 '"'`],
    ['{{3x}}', 'bad number syntax: "3x"'],
    ['{{"abc}}', ':1:2: unterminated quoted string'],
    ['{{`abc}}', 'unterminated raw quoted string'],
    ['{{)}}', 'unexpected right paren'],
    ['{{(.A}}', 'unclosed left paren'],
    ['{{ ~ }}', 'unexpected "~" in command'],
    ['{{ \u00e9\u0301x }}', 'bad character'],
    ['{{range $i, $e, $f := .}}{{end}}', 'too many declarations in range'],
    ['{{$a, $b := 1}}', 'too many declarations in command'],
    ['{{1.x}}', 'bad number syntax'],
    ['{{"\\q"}}', 'invalid syntax in string literal "\\q"'],
    ['{{define "a"}}A{{end}}{{define "a"}}B{{end}}', 'multiple definition of template "a"'],
    ['{{template .}}', 'unexpected "." in template clause'],
    ['{{if 1}}{{define "x"}}{{end}}{{end}}', 'unexpected <define> in command'],
    ['{{true.A}}', 'unexpected . after term "true"'],
  ])('%s', (src, message) => {
    const e = failure(src);
    expect(e.message).toMatch(/^template parsing error: template: :\d+:\d+: /);
    expect(e.message).toContain(message);
  });
});

describe('execution errors name the node, its position and the cause', () => {
  it.each([
    ['{{len}}', ':1:2: executing "" at <len>: wrong number of args for len: want 1 got 0'],
    ['{{printf}}', 'wrong number of args for printf: want at least 1 got 0'],
    ['{{eq 1}}', 'error calling eq: missing argument for comparison'],
    ['{{ne 1 2 3}}', 'wrong number of args for ne: want 2 got 3'],
    ['{{truncate "x"}}', 'wrong number of args for truncate: want 2 got 1'],
    ['{{"x" | len 1}}', 'wrong number of args for len: want 1 got 2'],
    ['{{upper 1}}', 'at <upper>: wrong type for value; expected string; got int'],
    ['{{truncate "abc" 1.5}}', 'wrong type for value; expected int; got float64'],
    ['{{join "abc" ","}}', 'wrong type for value; expected []string; got string'],
    ['{{index .A 5}}', 'error calling index: index out of range: 5'],
    ['{{index .A "x"}}', 'error calling index: cannot index slice/array with type string'],
    ['{{index .M 1}}', 'error calling index: value has type int; should be string'],
    ['{{slice "abc" 2 1}}', 'error calling slice: invalid slice index: 2 > 1'],
    ['{{len 3}}', 'error calling len: len of type int'],
    ['{{eq "a" 1}}', 'error calling eq: incompatible types for comparison'],
    ['{{lt true false}}', 'error calling lt: invalid type for comparison'],
    ['{{.Name.Foo}}', 'at <.Name.Foo>: can\'t evaluate field Foo in type string'],
    ['{{.A 1}}', 'at <.A>: A is not a method but has arguments'],
    ['{{nil}}', 'at <nil>: nil is not a command'],
    ['{{"x" 1}}', 'can\'t give argument to non-function "x"'],
    ['{{template "nope"}}', 'template "nope" not defined'],
    ['{{range .Name}}{{end}}', "range can't iterate over n"],
    ['{{range $i, $e := 3}}{{end}}', "can't use 3 to iterate over more than one variable"],
    ['{{.Fail}}', 'at <.Fail>: error calling Fail: boom'],
    ['{{define "r"}}{{template "r"}}{{end}}{{template "r"}}', 'executing "r" at <{{template "r"}}>: exceeded maximum template depth'],
    ['line1\n  {{index .A 9}}', ':2:4: executing "" at <index>'],
  ])('%s', (src, message) => {
    const data = { A: [1], M: {}, Name: 'n', Fail: () => { throw new Error('boom'); } };
    const e = failure(src, data);
    expect(e.message).toMatch(/^template parsing error: template: :\d+:\d+: executing "/);
    expect(e.message).toContain(message);
  });

  it('truncates long node text in the context to 20 characters', () => {
    const e = failure('{{.Aaaaaaaaaaaaaaaaaaaaaaaaa.Foo}}', { Aaaaaaaaaaaaaaaaaaaaaaaaa: 'x' });
    expect(e.message).toContain('at <.Aaaaaaaaaaaaaaaaaaa...>');
  });
});
