/**
 * Parses a varlink interface definition (varlink.org IDL) into an InterfaceDefinition:
 * `interface a.b`, then `type Name (...)`, `method Name(...) -> (...)` and `error Name (...)` in any
 * order; types are bool/int/float/string/object, `?T`, `[]T`, `[string]T`, structs, enums and names
 * of the interface's own types. Errors carry the line number. Every referenced type must exist.
 */
import type { ErrorDefinition, Field, InterfaceDefinition, MethodDefinition, StructType, TypeDefinition, VarlinkType } from './idl-types.js';
import { tokenize, VarlinkIdlError, type Token } from './idl-lexer.js';

const interfaceName = /^[a-z]([-]*[a-z0-9])*(\.[a-z0-9]([-]*[a-z0-9])*)+$/;
const memberName = /^[A-Z][A-Za-z0-9]*$/;
const fieldName = /^[A-Za-z](_?[A-Za-z0-9])*$/;
const builtins = new Set(['bool', 'int', 'float', 'string', 'object']);

export function parseInterface(source: string): InterfaceDefinition {
  return new Parser(source).parse();
}

class Parser {
  private readonly tokens: Token[];
  private pos = 0;
  /** Named types referenced, checked once every definition is read. */
  private readonly references: { name: string; line: number }[] = [];

  constructor(private readonly source: string) {
    this.tokens = tokenize(source);
  }

  parse(): InterfaceDefinition {
    const head = this.expectWord('interface');
    const name = this.next();
    if (name.kind !== 'word' || !interfaceName.test(name.text)) {
      throw new VarlinkIdlError(name.line, `invalid interface name ${JSON.stringify(name.text)} (expected a reverse-domain name like org.example.service)`);
    }
    const def: InterfaceDefinition = { name: name.text, doc: head.doc, types: new Map(), methods: new Map(), errors: new Map(), source: this.source };
    const seen = new Map<string, number>();
    while (this.peek().kind !== 'end') {
      const kw = this.next();
      const member = this.memberName();
      const previous = seen.get(member.text);
      if (previous !== undefined) throw new VarlinkIdlError(member.line, `${member.text} is already defined on line ${previous}`);
      seen.set(member.text, member.line);
      if (kw.text === 'type') {
        const type = this.parseStructOrEnum();
        def.types.set(member.text, { name: member.text, doc: kw.doc, type, line: kw.line } satisfies TypeDefinition);
      } else if (kw.text === 'method') {
        const input = this.parseStructOnly('method parameters');
        this.expectPunct('->');
        const output = this.parseStructOnly('method reply');
        def.methods.set(member.text, { name: member.text, doc: kw.doc, input, output, line: kw.line } satisfies MethodDefinition);
      } else if (kw.text === 'error') {
        const parameters = this.parseStructOnly('error parameters');
        def.errors.set(member.text, { name: member.text, doc: kw.doc, parameters, line: kw.line } satisfies ErrorDefinition);
      } else {
        throw new VarlinkIdlError(kw.line, `expected type, method or error, found ${describe(kw)}`);
      }
    }
    if (def.methods.size === 0) throw new VarlinkIdlError(this.peek().line, `interface ${def.name} defines no method`);
    for (const ref of this.references) {
      if (!def.types.has(ref.name)) throw new VarlinkIdlError(ref.line, `unknown type ${ref.name}`);
    }
    return def;
  }

  private parseType(): VarlinkType {
    const t = this.peek();
    if (t.kind === 'punct' && t.text === '?') {
      this.pos++;
      const after = this.peek();
      if (after.kind === 'punct' && after.text === '?') throw new VarlinkIdlError(after.line, 'a type cannot be nullable twice (??)');
      return { kind: 'nullable', type: this.parseType() };
    }
    if (t.kind === 'punct' && t.text === '[') {
      this.pos++;
      const inner = this.next();
      if (inner.kind === 'punct' && inner.text === ']') return { kind: 'array', element: this.parseType() };
      if (inner.kind === 'word' && inner.text === 'string') {
        this.expectPunct(']');
        return { kind: 'map', value: this.parseType() };
      }
      throw new VarlinkIdlError(inner.line, `expected [] or [string], found [${inner.text}`);
    }
    if (t.kind === 'punct' && t.text === '(') return this.parseStructOrEnum();
    if (t.kind === 'word') {
      this.pos++;
      if (builtins.has(t.text)) return { kind: t.text as 'bool' };
      if (!memberName.test(t.text)) throw new VarlinkIdlError(t.line, `invalid type ${JSON.stringify(t.text)} (builtin types are bool, int, float, string, object; type names start with a capital letter)`);
      this.references.push({ name: t.text, line: t.line });
      return { kind: 'alias', name: t.text };
    }
    throw new VarlinkIdlError(t.line, `expected a type, found ${describe(t)}`);
  }

  private parseStructOnly(what: string): StructType {
    const t = this.parseStructOrEnum();
    if (t.kind !== 'struct') throw new VarlinkIdlError(this.peek().line, `${what} must be a list of name: type fields`);
    return t;
  }

  /** `()` and `(a: T, ...)` are structs, `(A, B)` an enum. */
  private parseStructOrEnum(): StructType | { kind: 'enum'; values: string[] } {
    this.expectPunct('(');
    const first = this.peek();
    if (first.kind === 'punct' && first.text === ')') {
      this.pos++;
      return { kind: 'struct', fields: [] };
    }
    const isStruct = this.tokens[this.pos + 1]?.text === ':';
    const fields: Field[] = [];
    const values: string[] = [];
    const names = new Set<string>();
    for (;;) {
      const name = this.next();
      if (name.kind !== 'word' || !fieldName.test(name.text)) throw new VarlinkIdlError(name.line, `expected a field name, found ${describe(name)}`);
      if (names.has(name.text)) throw new VarlinkIdlError(name.line, `field ${name.text} appears twice`);
      names.add(name.text);
      if (isStruct) {
        this.expectPunct(':');
        fields.push({ name: name.text, type: this.parseType(), doc: name.doc });
      } else {
        if (this.peek().text === ':') throw new VarlinkIdlError(name.line, 'an enum cannot mix plain names and name: type fields');
        values.push(name.text);
      }
      const sep = this.next();
      if (sep.kind === 'punct' && sep.text === ')') break;
      if (!(sep.kind === 'punct' && sep.text === ',')) throw new VarlinkIdlError(sep.line, `expected , or ) , found ${describe(sep)}`);
    }
    return isStruct ? { kind: 'struct', fields } : { kind: 'enum', values };
  }

  private memberName(): Token {
    const t = this.next();
    if (t.kind !== 'word' || !memberName.test(t.text)) throw new VarlinkIdlError(t.line, `expected a name starting with a capital letter, found ${describe(t)}`);
    return t;
  }

  private expectWord(word: string): Token {
    const t = this.next();
    if (t.kind !== 'word' || t.text !== word) throw new VarlinkIdlError(t.line, `expected ${word}, found ${describe(t)}`);
    return t;
  }

  private expectPunct(p: string): Token {
    const t = this.next();
    if (t.kind !== 'punct' || t.text !== p) throw new VarlinkIdlError(t.line, `expected ${p}, found ${describe(t)}`);
    return t;
  }

  private peek(): Token {
    return this.tokens[this.pos]!;
  }

  private next(): Token {
    const t = this.tokens[this.pos]!;
    if (t.kind !== 'end') this.pos++;
    return t;
  }
}

function describe(t: Token): string {
  return t.kind === 'end' ? 'the end of the definition' : JSON.stringify(t.text);
}
