import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseInterface } from '../../../src/engine/varlink/idl-parser.js';
import { isVarlinkIdlError } from '../../../src/engine/varlink/idl-lexer.js';
import { formatInterface, formatType } from '../../../src/engine/varlink/idl-types.js';

const interfaces = path.join(__dirname, '../../../src/engine/varlink/interfaces');
const podmanText = fs.readFileSync(path.join(interfaces, 'io.podman.varlink'), 'utf8');

function idlError(source: string): { line: number; detail: string } {
  try {
    parseInterface(source);
  } catch (e) {
    if (isVarlinkIdlError(e)) return { line: e.line, detail: e.detail };
    throw e;
  }
  throw new Error('parsed without error');
}

describe('varlink IDL parser', () => {
  it('parses the whole io.podman interface of Podman 1.9', () => {
    const def = parseInterface(podmanText);
    expect(def.name).toBe('io.podman');
    expect(def.methods.size).toBe(97);
    expect(def.errors.size).toBe(13);
    expect([...def.types.keys()]).toContain('PodmanInfo');
    const version = def.methods.get('GetVersion')!;
    expect(version.input.fields).toEqual([]);
    expect(version.output.fields.map((f) => `${f.name}: ${formatType(f.type)}`)).toEqual([
      'version: string', 'go_version: string', 'git_commit: string', 'built: string', 'os_arch: string', 'remote_api_version: int',
    ]);
    expect(formatType(def.methods.get('VolumeRemove')!.output)).toBe('(successes: []string, failures: [string]string)');
    expect(formatType(def.methods.get('SearchImages')!.input)).toBe('(query: string, limit: ?int, filter: ImageSearchFilter)');
    expect(def.errors.get('ContainerNotFound')!.parameters.fields.map((f) => f.name)).toEqual(['id', 'reason']);
    expect(def.methods.get('GetVersion')!.doc).toBe('GetVersion returns version and build information of the podman service');
    expect(def.doc).toContain('Podman Service Interface');
    // Field docs: comments directly above a field, not trailing comments.
    const event = def.types.get('Event')!.type;
    expect(event.kind === 'struct' && event.fields.find((f) => f.name === 'status')!.doc).toBe('status describes the event that happened (i.e. create, remove, ...)');
    const image = def.types.get('Image')!.type;
    expect(image.kind === 'struct' && image.fields.find((f) => f.name === 'size')!.doc).toBe('');
  });

  it('keeps the upstream definition byte for byte below its source line', () => {
    const [source, ...rest] = podmanText.split('\n');
    expect(source).toMatch(/^# Source: github.com\/containers\/podman, pkg\/varlink\/io.podman.varlink at tag v1.9.3 \(commit 5d44534f/);
    // sha256 of the file at podman v1.9.3.
    expect(crypto.createHash('sha256').update(rest.join('\n')).digest('hex')).toBe('59f41e59759b64fedf9c9b26c6571c06b91fd64590540ef60a5a7971d5066b37');
  });

  it('round-trips every type through its canonical text', () => {
    const def = parseInterface(podmanText);
    const again = parseInterface(formatInterface(def));
    expect(formatInterface(again)).toBe(formatInterface(def));
    for (const [name, t] of def.types) expect(again.types.get(name)!.type).toEqual(stripDocs(t.type));
  });

  it('parses every kind of type', () => {
    const def = parseInterface(`# doc of the interface
interface org.example.kinds
type E (one, two, three)
type S (a: bool, b: int, c: float, d: string, e: object, f: ?[]?string, g: [string]S, h: (x: int), i: (red, green), j: E)
method M(s: S) -> ()
error Failed ()
`);
    expect(formatType(def.types.get('S')!.type)).toBe('(a: bool, b: int, c: float, d: string, e: object, f: ?[]?string, g: [string]S, h: (x: int), i: (red, green), j: E)');
    expect(def.types.get('E')!.type).toEqual({ kind: 'enum', values: ['one', 'two', 'three'] });
    expect(def.doc).toBe('doc of the interface');
  });

  it('reports bad definitions with their line numbers', () => {
    expect(idlError('interface Bad.Name\nmethod A() -> ()')).toMatchObject({ line: 1, detail: expect.stringContaining('invalid interface name') });
    expect(idlError('interface a.b\n\nmethod A(x: Missing) -> ()')).toMatchObject({ line: 3, detail: 'unknown type Missing' });
    expect(idlError('interface a.b\nmethod A() -> ()\nmethod A() -> ()')).toMatchObject({ line: 3, detail: 'A is already defined on line 2' });
    expect(idlError('interface a.b\nmethod A(x: int y: int) -> ()')).toMatchObject({ line: 2, detail: expect.stringContaining('expected , or )') });
    expect(idlError('interface a.b\nmethod A() -> ()\ntype T (a: ??int)')).toMatchObject({ line: 3, detail: expect.stringContaining('nullable twice') });
    expect(idlError('interface a.b\nmethod A() -> ()\ntype T (a: [int]string)')).toMatchObject({ line: 3 });
    expect(idlError('interface a.b\nmethod A() -> (\n  a: int,\n  a: string)')).toMatchObject({ line: 4, detail: 'field a appears twice' });
    expect(idlError('interface a.b\nmethod A() -> ()\nfunction B() -> ()')).toMatchObject({ line: 3, detail: expect.stringContaining('expected type, method or error') });
    expect(idlError('interface a.b\nmethod A() -> ()\ntype T (a: int) $')).toMatchObject({ line: 3, detail: 'unexpected character "$"' });
    expect(idlError('interface a.b\nmethod A(E) -> ()')).toMatchObject({ line: 2, detail: expect.stringContaining('method parameters') });
    expect(idlError('interface a.b\ntype T (a: int)\n')).toMatchObject({ detail: 'interface a.b defines no method' });
    expect(idlError('interface a.b\nmethod A() -> (x: lowercase)')).toMatchObject({ line: 2, detail: expect.stringContaining('invalid type') });
  });

  it('parses the io.selkie interface', () => {
    const def = parseInterface(fs.readFileSync(path.join(interfaces, 'io.selkie.varlink'), 'utf8'));
    expect(def.name).toBe('io.selkie');
    expect(def.methods.has('GetContainerSecurity')).toBe(true);
  });
});

function stripDocs<T>(t: T): T {
  return JSON.parse(JSON.stringify(t, (k, v) => (k === 'doc' ? '' : v))) as T;
}
