/**
 * The Go text/template evaluator: walks a parsed template over a data value and returns the text.
 *
 * Objects are Go maps: a missing key is nil and prints `<no value>`, and a field of nil is nil
 * again (Go would report a nil pointer for a nil struct; JavaScript data cannot tell the two
 * apart, so the lenient map behaviour is used). Function-valued properties are methods: they are
 * called with the action's arguments (`{{.Label "com.example"}}`).
 */
import type { SelkieError } from '../../engine/errors.js';
import type { ArgNode, BranchNode, CommandNode, ListNode, Node, PipeNode, TemplateNode } from './ast.js';
import { nodeString } from './ast.js';
import { ArgError, type FuncTable, type GoFunc } from './functions.js';
import { goKind, goTypeName, isNil, isTrue, lookupKey, mapEntries, sliceItems } from './go-values.js';
import type { ParsedTemplate } from './parser.js';
import { formatValue } from './printf.js';
import { execError } from './template-error.js';

/** The data of a header row: every field chain evaluates to its column header. */
export class HeaderData {
  constructor(readonly header: (path: readonly string[]) => string) {}
}

const MISSING = Symbol('missing');

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}
type Final = unknown;

const NORMAL = 0;
const BREAK = 1;
const CONTINUE = 2;
type Flow = typeof NORMAL | typeof BREAK | typeof CONTINUE;

/** Nested {{template}} calls allowed before giving up (Go allows 100000; JS stacks are smaller). */
export const MAX_TEMPLATE_DEPTH = 1000;

interface Variable {
  name: string;
  value: unknown;
}

export class State {
  out = '';
  private vars: Variable[];
  private at: Node | ArgNode | CommandNode;
  private name = '';
  private depth = 0;

  constructor(
    private readonly t: ParsedTemplate,
    private readonly funcs: FuncTable,
    data: unknown,
  ) {
    this.vars = [{ name: '$', value: data }];
    this.at = t.root.nodes[0] ?? { type: 'text', pos: 0, text: '' };
  }

  run(data: unknown): void {
    this.walk(this.t.root, data);
  }

  private error(message: string): SelkieError {
    return execError(this.t.src, this.at.pos, this.name, nodeString(this.at), message);
  }

  // ---- variables -----------------------------------------------------------------------------

  private varValue(name: string): unknown {
    for (let i = this.vars.length - 1; i >= 0; i--) if (this.vars[i]!.name === name) return this.vars[i]!.value;
    throw this.error(`undefined variable: ${name}`);
  }

  private setVar(name: string, value: unknown): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i]!.name === name) {
        this.vars[i]!.value = value;
        return;
      }
    }
    throw this.error(`undefined variable: ${name}`);
  }

  // ---- statements ----------------------------------------------------------------------------

  private walk(list: ListNode, dot: unknown): Flow {
    for (const node of list.nodes) {
      let flow: Flow = NORMAL;
      switch (node.type) {
        case 'text':
          this.out += node.text;
          break;
        case 'action': {
          this.at = node;
          const val = this.evalPipeline(dot, node.pipe);
          if (node.pipe.decl.length === 0) this.printValue(node, val);
          break;
        }
        case 'if':
        case 'with':
          flow = this.walkIfOrWith(node, dot);
          break;
        case 'range':
          flow = this.walkRange(node, dot);
          break;
        case 'template':
          this.walkTemplate(node, dot);
          break;
        case 'break':
          return BREAK;
        case 'continue':
          return CONTINUE;
      }
      if (flow !== NORMAL) return flow;
    }
    return NORMAL;
  }

  private printValue(node: Node, v: unknown): void {
    this.at = node;
    if (isNil(v)) this.out += '<no value>';
    else if (v instanceof HeaderData) return;
    else if (typeof v === 'function') throw this.error(`can't print ${nodeString(node)} of type func()`);
    else this.out += formatValue(v);
  }

  private walkIfOrWith(node: BranchNode, dot: unknown): Flow {
    const mark = this.vars.length;
    const val = this.evalPipeline(dot, node.pipe);
    let flow: Flow = NORMAL;
    if (isTrue(val)) {
      flow = this.walk(node.list, node.type === 'with' ? val : dot);
    } else if (node.elseList) {
      flow = this.walk(node.elseList, dot);
    }
    this.vars.length = mark;
    return flow;
  }

  private walkRange(node: BranchNode, dot: unknown): Flow {
    this.at = node;
    const outer = this.vars.length;
    const { pipe } = node;
    const val = this.evalCommands(dot, pipe);
    const decl = pipe.decl;
    if (!pipe.isAssign) for (const name of decl) this.vars.push({ name, value: val });
    const mark = this.vars.length;
    let count = 0;
    const one = (key: unknown, elem: unknown): Flow => {
      count++;
      if (pipe.isAssign) {
        if (decl.length > 1) this.setVar(decl[0]!, key);
        this.setVar(decl[decl.length - 1]!, elem);
      } else if (decl.length === 1) {
        this.vars[mark - 1]!.value = elem;
      } else if (decl.length === 2) {
        this.vars[mark - 2]!.value = key;
        this.vars[mark - 1]!.value = elem;
      }
      const flow = this.walk(node.list, elem);
      this.vars.length = mark;
      return flow;
    };
    switch (goKind(val)) {
      case 'slice': {
        const items = sliceItems(val);
        for (let i = 0; i < items.length; i++) if (one(i, items[i]) === BREAK) break;
        break;
      }
      case 'map':
        if (val instanceof HeaderData) break;
        for (const [k, v] of mapEntries(val)) if (one(k, v) === BREAK) break;
        break;
      case 'int': {
        if (decl.length > 1) throw this.error(`can't use ${formatValue(val)} to iterate over more than one variable`);
        const n = Number(val);
        for (let i = 0; i < n; i++) if (one(i, i) === BREAK) break;
        break;
      }
      case 'nil':
        break;
      default:
        this.at = node;
        throw this.error(`range can't iterate over ${formatValue(val)}`);
    }
    let flow: Flow = NORMAL;
    if (count === 0 && node.elseList) flow = this.walk(node.elseList, dot);
    this.vars.length = outer;
    return flow;
  }

  private walkTemplate(node: TemplateNode, dot: unknown): void {
    this.at = node;
    const def = this.t.defs.get(node.name);
    if (!def) throw this.error(`template ${JSON.stringify(node.name)} not defined`);
    if (this.depth >= MAX_TEMPLATE_DEPTH) throw this.error(`exceeded maximum template depth (${MAX_TEMPLATE_DEPTH})`);
    const newDot = node.pipe ? this.evalPipeline(dot, node.pipe) : undefined;
    const saved = { vars: this.vars, name: this.name };
    this.vars = [{ name: '$', value: newDot }];
    this.name = node.name;
    this.depth++;
    this.walk(def, newDot);
    this.depth--;
    this.vars = saved.vars;
    this.name = saved.name;
  }

  // ---- pipelines -----------------------------------------------------------------------------

  private evalCommands(dot: unknown, pipe: PipeNode): unknown {
    this.at = pipe;
    let value: Final = MISSING;
    for (const cmd of pipe.cmds) value = this.evalCommand(dot, cmd, value);
    return value;
  }

  private evalPipeline(dot: unknown, pipe: PipeNode): unknown {
    const value = this.evalCommands(dot, pipe);
    for (const name of pipe.decl) {
      if (pipe.isAssign) this.setVar(name, value);
      else this.vars.push({ name, value });
    }
    return value;
  }

  private notAFunction(args: ArgNode[], final: Final): void {
    if (args.length > 1 || final !== MISSING) throw this.error(`can't give argument to non-function ${nodeString(args[0]!)}`);
  }

  private evalCommand(dot: unknown, cmd: CommandNode, final: Final): unknown {
    const first = cmd.args[0]!;
    switch (first.type) {
      case 'field':
        this.at = first;
        return this.evalFieldChain(dot, dot, first.idents, 0, cmd.args, final);
      case 'chain':
        return this.evalChain(dot, first, cmd.args, final);
      case 'identifier':
        return this.evalFunction(dot, first.name, first, cmd.args, final);
      case 'pipe':
        this.notAFunction(cmd.args, final);
        return this.evalPipeline(dot, first);
      case 'variable':
        return this.evalVariable(dot, first.idents, first, cmd.args, final);
    }
    this.at = first;
    this.notAFunction(cmd.args, final);
    switch (first.type) {
      case 'dot':
        return dot;
      case 'nil':
        throw this.error('nil is not a command');
      default:
        return first.value;
    }
  }

  private evalArg(dot: unknown, n: ArgNode): unknown {
    this.at = n;
    switch (n.type) {
      case 'dot':
        return dot;
      case 'nil':
        return undefined;
      case 'field':
        return this.evalFieldChain(dot, dot, n.idents, 0, [n], MISSING);
      case 'variable':
        return this.evalVariable(dot, n.idents, n, [n], MISSING);
      case 'pipe':
        return this.evalPipeline(dot, n);
      case 'identifier':
        return this.evalFunction(dot, n.name, n, [n], MISSING);
      case 'chain':
        return this.evalChain(dot, n, [n], MISSING);
      default:
        return n.value;
    }
  }

  private evalChain(dot: unknown, n: ArgNode & { type: 'chain' }, args: ArgNode[], final: Final): unknown {
    this.at = n;
    if (n.node.type === 'nil') throw this.error(`indirection through explicit nil in ${nodeString(n)}`);
    const receiver = this.evalArg(dot, n.node);
    this.at = n;
    return this.evalFieldChain(dot, receiver, n.fields, 0, args, final);
  }

  private evalVariable(dot: unknown, idents: string[], n: ArgNode, args: ArgNode[], final: Final): unknown {
    this.at = n;
    const value = this.varValue(idents[0]!);
    if (idents.length === 1) {
      this.notAFunction(args, final);
      return value;
    }
    return this.evalFieldChain(dot, value, idents, 1, args, final);
  }

  private evalFieldChain(dot: unknown, receiver: unknown, idents: string[], start: number, args: ArgNode[], final: Final): unknown {
    if (receiver instanceof HeaderData) return receiver.header(idents.slice(start));
    const last = idents.length - 1;
    for (let i = start; i < last; i++) receiver = this.evalField(dot, idents[i]!, receiver, null, MISSING);
    return this.evalField(dot, idents[last]!, receiver, args, final);
  }

  private evalField(dot: unknown, name: string, receiver: unknown, args: ArgNode[] | null, final: Final): unknown {
    if (isNil(receiver)) return undefined;
    const at = this.at;
    let value: unknown;
    if (isPlainObject(receiver)) {
      value = Object.prototype.hasOwnProperty.call(receiver, name) ? receiver[name] : undefined;
    } else {
      const kind = goKind(receiver);
      if (kind !== 'map' && kind !== 'time') throw this.error(`can't evaluate field ${name} in type ${goTypeName(receiver)}`);
      value = lookupKey(receiver as object, name);
    }
    const hasArgs = (args !== null && args.length > 1) || final !== MISSING;
    if (typeof value === 'function') {
      const callArgs = args ? args.slice(1).map((a) => this.evalArg(dot, a)) : [];
      if (final !== MISSING) callArgs.push(final);
      this.at = at;
      try {
        return (value as (...a: unknown[]) => unknown).apply(receiver, callArgs);
      } catch (e) {
        throw this.error(`error calling ${name}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    if (hasArgs) throw this.error(`${name} is not a method but has arguments`);
    return value;
  }

  private evalFunction(dot: unknown, name: string, node: ArgNode, args: ArgNode[], final: Final): unknown {
    this.at = node;
    const fn = this.funcs.get(name);
    if (!fn) throw this.error(`${JSON.stringify(name)} is not a defined function`);
    return this.evalCall(dot, fn, name, node, args, final);
  }

  private evalCall(dot: unknown, fn: GoFunc, name: string, node: ArgNode, args: ArgNode[], final: Final): unknown {
    const count = args.length - 1 + (final === MISSING ? 0 : 1);
    if (count < fn.min || count > fn.max) {
      const want = fn.max === Infinity ? `at least ${fn.min}` : `${fn.min}`;
      throw this.error(`wrong number of args for ${name}: want ${want} got ${count}`);
    }
    if (fn.lazy) {
      let v: unknown;
      for (let i = 1; i < args.length; i++) {
        v = this.evalArg(dot, args[i]!);
        if (isTrue(v) === (fn.lazy === 'or')) return v;
      }
      return final === MISSING ? v : final;
    }
    const values: unknown[] = [];
    for (let i = 1; i < args.length; i++) values.push(this.evalArg(dot, args[i]!));
    if (final !== MISSING) values.push(final);
    this.at = node;
    try {
      return fn.call(values);
    } catch (e) {
      if (e instanceof ArgError) throw this.error(e.message);
      if (e instanceof Error && e.name === 'SelkieError') throw e;
      throw this.error(`error calling ${name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}

/** Runs a parsed template; on failure, `output` holds what was written before the error. */
export function execute(t: ParsedTemplate, data: unknown, funcs: FuncTable): { output: string; error?: SelkieError } {
  const state = new State(t, funcs, data);
  try {
    state.run(data);
    return { output: state.out };
  } catch (e) {
    if (e instanceof Error && e.name === 'SelkieError') return { output: state.out, error: e as SelkieError };
    throw e;
  }
}
