import { describe, expect, it } from 'vitest';
import { compileTemplate } from '../../../src/cli/format/template.js';

const render = (src: string, data?: unknown) => compileTemplate(src).render(data);

// The examples of Docker's "Format command and log output" page.
describe("Docker's template functions", () => {
  const container = {
    Name: '/Web_App',
    Args: ['-c', 'echo hi'],
    Image: 'busybox:latest',
    Names: ['web', 'frontend'],
    Mounts: [{ Type: 'volume', Source: '/var/lib/x', Destination: '/data', RW: true }],
    NetworkSettings: { Networks: { bridge: { IPAddress: '172.17.0.2' }, backend: { IPAddress: '10.0.0.5' } } },
  };

  it('join concatenates a list with a separator', () => {
    expect(render('{{join .Args " , "}}', container)).toBe('-c , echo hi');
    expect(render('{{join .Names " or "}}', container)).toBe('web or frontend');
    expect(render('{{join .Missing ","}}', container)).toBe('');
  });

  it('split slices a string into a list', () => {
    expect(render('{{split .Image ":"}}', container)).toBe('[busybox latest]');
    expect(render('{{split (join .Names "/") "/"}}', container)).toBe('[web frontend]');
    expect(render('{{split "a,b," ","}} {{len (split "" ",")}} {{split "日本" ""}}')).toBe('[a b ] 1 [日 本]');
    expect(render('{{index (split .Image ":") 1}}', container)).toBe('latest');
  });

  it('json encodes compactly, without escaping HTML (as Docker does)', () => {
    expect(render('{{json .Mounts}}', container)).toBe(
      '[{"Type":"volume","Source":"/var/lib/x","Destination":"/data","RW":true}]',
    );
    expect(render('{{json .}}', '<a&b>')).toBe('"<a&b>"');
    expect(render('{{json .Missing}}', {})).toBe('null');
    expect(render('{{json .}}', NaN)).toBe('');
  });

  it('lower, upper and title change case rune by rune', () => {
    expect(render('{{lower .Name}}', container)).toBe('/web_app');
    expect(render('{{upper .Name}}', container)).toBe('/WEB_APP');
    expect(render('{{title "hello wOrld-foo_bar ça"}}')).toBe('Hello WOrld-Foo_bar Ça');
    expect(render('{{title .}}', 'web app')).toBe('Web App');
    expect(render('{{upper "straße"}} {{lower "ÀÉ"}}')).toBe('STRAßE àé');
  });

  it('println prints each value on its own line', () => {
    const t = '{{range .NetworkSettings.Networks}}{{println .IPAddress}}{{end}}';
    expect(render(t, container)).toBe('10.0.0.5\n172.17.0.2\n');
  });

  it('pad adds spaces around non-empty text; truncate keeps the first bytes', () => {
    expect(render('[{{pad .Name 2 3}}]', container)).toBe('[  /Web_App   ]');
    expect(render('[{{pad "" 2 3}}]')).toBe('[]');
    expect(render('{{truncate "4c01db0b339cabcdef" 12}}')).toBe('4c01db0b339c');
    expect(render('{{truncate "abc" 5}}|{{truncate "abc" 3}}|{{truncate "héllo" 2}}')).toBe('abc|abc|h');
  });
});

describe("Go's builtin functions", () => {
  it('and/or return the deciding argument, lazily', () => {
    expect(render('{{and 1 0 2}}|{{and 1 2}}|{{or 0 "" "x"}}|{{or 0 ""}}')).toBe('0|2|x|');
    expect(render('{{and .A .B}}', { A: 1, B: 'b' })).toBe('b');
    // The second argument would fail if it were evaluated.
    expect(render('{{or 1 (index .L 9)}}|{{and 0 (index .L 9)}}', { L: [] })).toBe('1|0');
  });

  it('not, len, index and slice', () => {
    expect(render('{{not 0}} {{not "x"}}')).toBe('true false');
    expect(render('{{len .A}} {{len .M}} {{len "héllo"}}', { A: [1, 2], M: { a: 1 } })).toBe('2 1 6');
    expect(render('{{index .A 1}} {{index .M "k"}} {{index .N 0 1}} {{index "abc" 1}}', { A: [1, 2], M: { k: 'v' }, N: [[1, 2]] })).toBe(
      '2 v 2 98',
    );
    expect(render('{{index .M "missing"}}', { M: {} })).toBe('<no value>');
    expect(render('{{slice .A 1}} {{slice .A 1 2}} {{slice "hello" 1 3}} {{slice .A}}', { A: [1, 2, 3] })).toBe(
      '[2 3] [2] el [1 2 3]',
    );
  });

  it('print, printf and println', () => {
    expect(render('{{print "a" 1 2 "b"}}')).toBe('a1 2b');
    expect(render('{{printf "%-10s|%5.2f|%05d|%x|%t|%c|%%" "ab" 3.14159 42 255 true 65}}')).toBe(
      'ab        | 3.14|00042|ff|true|A|%',
    );
    expect(render('{{printf "%d %s" "x"}}')).toBe('%!d(string=x) %!s(MISSING)');
    expect(render('{{printf "%v" .X}}', {})).toBe('<nil>');
    expect(render('{{println "a" 1}}')).toBe('a 1\n');
    expect(render('{{.Name | printf "%-8s|"}}', { Name: 'web' })).toBe('web     |');
  });

  it('eq compares against several values; comparisons of ints, floats and strings', () => {
    expect(render('{{eq .N 1 2 3}} {{eq .S "a" "b"}} {{ne 1 2}} {{eq 2 2.0}}', { N: 3, S: 'b' })).toBe('true true true true');
    expect(render('{{lt 1 2}} {{lt 1.5 2}} {{le 2 2}} {{gt 3 2}} {{ge 2 3}} {{lt "a" "b"}}')).toBe('true true true true false true');
    expect(render('{{eq .Missing nil}} {{eq .Missing 1}} {{ne .Missing "x"}}', {})).toBe('true false true');
    expect(render('{{if gt (len .) 1}}many{{end}}', [1, 2])).toBe('many');
  });

  it('html, js and urlquery escape like Go', () => {
    const s = `<a b="c">&'=é`;
    expect(render('{{html .}}', s)).toBe('&lt;a b=&#34;c&#34;&gt;&amp;&#39;=é');
    expect(render('{{js .}}', s)).toBe('\\u003Ca b\\u003D\\"c\\"\\u003E\\u0026\\\'\\u003Dé');
    expect(render('{{urlquery .}}', s)).toBe('%3Ca+b%3D%22c%22%3E%26%27%3D%C3%A9');
    expect(render('{{html "a" 1}}')).toBe('a1');
  });
});
