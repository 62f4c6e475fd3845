import { describe, expect, it } from 'vitest';
import { compileTemplate } from '../../../src/cli/format/template.js';

const render = (src: string, data?: unknown) => compileTemplate(src).render(data);

describe('text/template documentation examples', () => {
  // Each of these prints "output" in quotes, per the text/template package docs.
  it.each([
    '{{"\\"output\\""}}',
    '{{`"output"`}}',
    '{{printf "%q" "output"}}',
    '{{"output" | printf "%q"}}',
    '{{printf "%q" (print "out" "put")}}',
    '{{"put" | printf "%s%s" "out" | printf "%q"}}',
    '{{"output" | printf "%s" | printf "%q"}}',
    '{{with "output"}}{{printf "%q" .}}{{end}}',
    '{{with $x := "output" | printf "%q"}}{{$x}}{{end}}',
    '{{with $x := "output"}}{{printf "%q" $x}}{{end}}',
    '{{with $x := "output"}}{{$x | printf "%q"}}{{end}}',
  ])('%s', (src) => {
    expect(render(src)).toBe('"output"');
  });

  it('trims spaces around trim markers', () => {
    expect(render('{{23 -}} < {{- 45}}')).toBe('23<45');
    expect(render('a \n\t {{- "b" -}} \n c')).toBe('abc');
    expect(render('{{-3}}')).toBe('-3');
  });

  it('drops comments, trimming around them when asked', () => {
    expect(render('a{{/* a comment */}}b')).toBe('ab');
    expect(render('a  {{- /* a comment with white space trimmed */ -}}  b')).toBe('ab');
  });
});

describe('fields and data', () => {
  it('follows field chains through objects', () => {
    expect(render('{{.A.B.C}}', { A: { B: { C: 'deep' } } })).toBe('deep');
    expect(render('{{.ID}}\t{{.Names}}', { ID: 'abc', Names: 'web' })).toBe('abc\tweb');
  });

  it('prints <no value> for a missing key, also through a chain', () => {
    expect(render('{{.Missing}}', {})).toBe('<no value>');
    expect(render('{{.A.B.C}}', { A: {} })).toBe('<no value>');
    expect(render('{{.A.B}}', { A: null })).toBe('<no value>');
  });

  it('reads JavaScript Maps and class getters', () => {
    class Row {
      get Name() {
        return 'from-getter';
      }
    }
    expect(render('{{.Name}}', new Row())).toBe('from-getter');
    expect(render('{{.k}}', new Map([['k', 'v']]))).toBe('v');
  });

  it('calls function-valued fields as methods with arguments', () => {
    const row = {
      labels: { 'com.example.a': 'x' } as Record<string, string>,
      Label(this: { labels: Record<string, string> }, name: string) {
        return this.labels[name] ?? '';
      },
      Now: () => 'called',
    };
    expect(render('{{.Label "com.example.a"}}|{{.Now}}', row)).toBe('x|called');
    expect(render('{{"com.example.a" | .Label}}', row)).toBe('x');
  });

  it('prints values the way fmt %v does', () => {
    expect(render('{{.}}', { b: 2, a: [1, 'x', null] })).toBe('map[a:[1 x <nil>] b:2]');
    expect(render('{{.}}', ['busybox', 'latest'])).toBe('[busybox latest]');
    expect(render('{{.A}} {{.B}} {{.C}} {{.D}}', { A: 1.5, B: 3, C: true, D: 1e-7 })).toBe('1.5 3 true 1e-07');
    expect(render('{{.}}', new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 120)))).toBe('2024-01-02 03:04:05.12 +0000 UTC');
  });

  it('knows . and $ (the data of the whole template)', () => {
    expect(render('{{range .L}}{{.}}{{$.Sep}}{{end}}', { L: ['a', 'b'], Sep: ';' })).toBe('a;b;');
    expect(render('{{$}}', 'root')).toBe('root');
  });

  it('reads fields of a parenthesized pipeline result', () => {
    expect(render('{{(index .A 1).Name}}', { A: [{ Name: 'x' }, { Name: 'y' }] })).toBe('y');
  });
});

describe('literals', () => {
  it('parses Go numbers, runes and strings', () => {
    expect(render('{{0x1F}} {{0o17}} {{017}} {{0b101}} {{1_000}} {{1.5e3}} {{.5}} {{-2}} {{+3}}')).toBe(
      '31 15 15 5 1000 1500 0.5 -2 3',
    );
    expect(render("{{'a'}} {{'\\n'}} {{'\\x41'}} {{'日'}}")).toBe('97 10 65 26085');
    expect(render('{{"a\\tb\\u00e9\\x41\\101"}}')).toBe('a\tbéAA');
    expect(render('{{`raw\\n`}}')).toBe('raw\\n');
    expect(render('{{true}} {{false}}')).toBe('true false');
  });
});

describe('variables', () => {
  it('declares, assigns and scopes variables', () => {
    expect(render('{{$x := 1}}{{$x}}')).toBe('1');
    expect(render('{{$x := 1}}{{if true}}{{$x = 2}}{{end}}{{$x}}')).toBe('2');
    expect(render('{{$x := "outer"}}{{with $x := "inner"}}{{$x}}{{end}} {{$x}}')).toBe('inner outer');
  });

  it('binds index and element in range', () => {
    expect(render('{{range $i, $e := .}}{{$i}}={{$e}};{{end}}', ['a', 'b'])).toBe('0=a;1=b;');
    expect(render('{{range $e := .}}[{{$e}}]{{end}}', ['a', 'b'])).toBe('[a][b]');
    expect(render('{{range $k, $v := .}}{{$k}}:{{$v}} {{end}}', { z: 1, a: 2, m: 3 })).toBe('a:2 m:3 z:1 ');
  });
});

describe('control structures', () => {
  it('chooses if / else if / else branches by Go truthiness', () => {
    const t = '{{if .A}}a{{else if .B}}b{{else}}none{{end}}';
    expect(render(t, { A: 'x' })).toBe('a');
    expect(render(t, { A: '', B: 1 })).toBe('b');
    for (const falsy of [0, '', false, null, [], {}]) expect(render(t, { A: falsy, B: falsy })).toBe('none');
    expect(render(t, { A: [0], B: 0 })).toBe('a');
  });

  it('rebinds dot in with, with else and else with', () => {
    const t = '{{with .A}}A={{.}}{{else with .B}}B={{.}}{{else}}none{{end}}';
    expect(render(t, { A: 1 })).toBe('A=1');
    expect(render(t, { B: 2 })).toBe('B=2');
    expect(render(t, {})).toBe('none');
  });

  it('ranges over slices, sorted map keys, integers, and runs else when empty', () => {
    expect(render('{{range .}}<{{.}}>{{else}}empty{{end}}', ['x', 'y'])).toBe('<x><y>');
    expect(render('{{range .}}<{{.}}>{{else}}empty{{end}}', [])).toBe('empty');
    expect(render('{{range .}}<{{.}}>{{else}}empty{{end}}', null)).toBe('empty');
    expect(render('{{range .}}{{.}}{{end}}', { b: 2, a: 1, c: 3 })).toBe('123');
    expect(render('{{range 3}}{{.}}{{end}}')).toBe('012');
    expect(render('{{range $k, $v := .}}{{$k}}{{$v}} {{end}}', new Map([[10, 'a'], [2, 'b']]))).toBe('2b 10a ');
  });

  it('supports break and continue, also inside if', () => {
    const t = '{{range .}}{{if eq . 3}}{{break}}{{end}}{{if eq . 1}}{{continue}}{{end}}{{.}}{{end}}';
    expect(render(t, [0, 1, 2, 3, 4])).toBe('02');
  });

  it('executes define, template and block, with their own data', () => {
    expect(render('{{define "T"}}[{{.}}]{{end}}{{template "T" "x"}}{{template "T" .}}', 'd')).toBe('[x][d]');
    expect(render('{{block "B" .Name}}<{{.}}>{{end}}', { Name: 'n' })).toBe('<n>');
    expect(render('{{define "T"}}{{.}}{{end}}{{template "T"}}')).toBe('<no value>');
    const nested = '{{define "item"}}- {{.}}\n{{end}}{{define "list"}}{{range .}}{{template "item" .}}{{end}}{{end}}{{template "list" .}}';
    expect(render(nested, ['a', 'b'])).toBe('- a\n- b\n');
  });

  it('prints nothing for declarations', () => {
    expect(render('a{{$x := 5}}b')).toBe('ab');
  });
});

describe('compiled templates', () => {
  it('lists the fields read from dot and caches by source', () => {
    const t = compileTemplate('{{.ID}} {{.Names}} {{.ID}} {{$x := .Size}}{{.State.Status}}');
    expect(t.fields).toEqual(['ID', 'Names', 'Size', 'State']);
    expect(compileTemplate('{{.ID}} {{.Names}} {{.ID}} {{$x := .Size}}{{.State.Status}}')).toBe(t);
  });

  it('renders many rows from one compilation', () => {
    const t = compileTemplate('{{.N}},');
    expect([1, 2, 3].map((n) => t.render({ N: n })).join('')).toBe('1,2,3,');
  });
});

describe('values that Go cannot print', () => {
  it('prints function-valued fields inside a map without recursing', () => {
    expect(render('{{.}}', { ID: 'a', Label: () => 'x' })).toBe('map[ID:a Label:<func>]');
    expect(render('{{printf "%d" .F}}', { F: { f: () => 1 } })).toBe('map[%!d(string=f):%!d(func()=<func>)]');
  });
});
