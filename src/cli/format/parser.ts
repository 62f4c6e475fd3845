/**
 * The Go text/template parser: builds the tree of a template and its `define`/`block` templates,
 * checking what Go checks at parse time (unknown functions, undefined variables, misplaced
 * {{end}}/{{else}}/{{break}}, empty pipelines, literals in later pipeline stages).
 */
import type { ArgNode, BranchNode, CommandNode, ListNode, Node, PipeNode, TemplateNode } from './ast.js';
import { nodeString } from './ast.js';
import type { Token, TokenType } from './lexer.js';
import { parseNumber, unquote, unquoteRune } from './literals.js';
import { TokenReader } from './token-reader.js';

export interface ParsedTemplate {
  src: string;
  root: ListNode;
  /** Templates from {{define}} and {{block}}, by name. */
  defs: Map<string, ListNode>;
  /** Names of fields read directly from dot (`.ID` of `.ID.Short`), in first-use order. */
  fields: string[];
}

interface EndMarker {
  type: 'end' | 'else';
  pos: number;
  /** `{{else if}}` / `{{else with}}`: the keyword left pending. */
  chain?: 'if' | 'with';
}

type Item = Node | EndMarker;

const isMarker = (n: Item): n is EndMarker => n.type === 'end' || n.type === 'else';

const OPERAND_START = new Set<TokenType>([
  'bool', 'charConstant', 'dot', 'field', 'identifier', 'number', 'nil', 'rawString', 'string', 'variable', 'leftParen',
]);

export class Parser extends TokenReader {
  private vars: string[] = ['$'];
  private rangeDepth = 0;
  private readonly defs = new Map<string, ListNode>();
  private readonly fields = new Set<string>();

  constructor(
    src: string,
    private readonly isFunc: (name: string) => boolean,
  ) {
    super(src);
  }

  // ---- structure -----------------------------------------------------------------------------

  parse(): ParsedTemplate {
    const root: ListNode = { pos: 0, nodes: [] };
    while (this.peek().type !== 'EOF') {
      if (this.peek().type === 'leftDelim') {
        const delim = this.next();
        const kw = this.nextNonSpace();
        if (kw.type === 'keyword' && kw.val === 'define') {
          this.parseDefinition();
          continue;
        }
        this.backup(kw);
        this.backup(delim);
      }
      const n = this.textOrAction();
      if (isMarker(n)) throw this.error(n.pos, `unexpected {{${n.type}}}`);
      root.nodes.push(n);
    }
    return { src: this.src, root, defs: this.defs, fields: [...this.fields] };
  }

  /** The body of a define/block: its own variable scope, ended by {{end}}. */
  private parseBody(context: string): ListNode {
    const saved = { vars: this.vars, rangeDepth: this.rangeDepth };
    this.vars = ['$'];
    this.rangeDepth = 0;
    const [list, end] = this.itemList();
    if (end.type !== 'end') throw this.error(end.pos, `unexpected {{${end.type}}} in ${context}`);
    this.vars = saved.vars;
    this.rangeDepth = saved.rangeDepth;
    return list;
  }

  private addDefinition(name: string, list: ListNode, pos: number): void {
    const old = this.defs.get(name);
    if (old && !isEmptyList(old)) {
      if (isEmptyList(list)) return;
      throw this.error(pos, `template: multiple definition of template ${JSON.stringify(name)}`);
    }
    this.defs.set(name, list);
  }

  private parseDefinition(): void {
    const context = 'define clause';
    const nameTok = this.nextNonSpace();
    const name = this.templateName(nameTok, context);
    this.expect('rightDelim', context);
    this.addDefinition(name, this.parseBody(context), nameTok.pos);
  }

  private itemList(): [ListNode, EndMarker] {
    const list: ListNode = { pos: this.peekNonSpace().pos, nodes: [] };
    while (this.peekNonSpace().type !== 'EOF') {
      const n = this.textOrAction();
      if (isMarker(n)) return [list, n];
      list.nodes.push(n);
    }
    throw this.error(this.src.length, 'unexpected EOF');
  }

  private textOrAction(): Item {
    const t = this.nextNonSpace();
    if (t.type === 'text') return { type: 'text', pos: t.pos, text: t.val };
    if (t.type === 'leftDelim') return this.action();
    throw this.unexpected(t, 'input');
  }

  private action(): Item {
    const t = this.nextNonSpace();
    if (t.type === 'keyword') {
      switch (t.val) {
        case 'block':
          return this.blockControl();
        case 'break':
        case 'continue':
          return this.loopControl(t);
        case 'else':
          return this.elseControl(t);
        case 'end':
          this.expect('rightDelim', 'end');
          return { type: 'end', pos: t.pos };
        case 'if':
        case 'range':
        case 'with':
          return this.control(t.val, t.pos);
        case 'template':
          return this.templateControl(t.pos);
      }
    }
    this.backup(t);
    return { type: 'action', pos: t.pos, pipe: this.pipeline('command', 'rightDelim') };
  }

  private loopControl(t: Token): Item {
    const name = t.val as 'break' | 'continue';
    const after = this.nextNonSpace();
    if (after.type !== 'rightDelim') throw this.unexpected(after, `{{${name}}}`);
    if (this.rangeDepth === 0) throw this.error(t.pos, `{{${name}}} outside {{range}}`);
    return { type: name, pos: t.pos };
  }

  private elseControl(t: Token): EndMarker {
    const peek = this.peekNonSpace();
    if (peek.type === 'keyword' && (peek.val === 'if' || peek.val === 'with')) {
      return { type: 'else', pos: t.pos, chain: peek.val };
    }
    const after = this.nextNonSpace();
    if (after.type !== 'rightDelim') throw this.unexpected(after, 'else');
    return { type: 'else', pos: t.pos };
  }

  private control(context: 'if' | 'range' | 'with', pos: number): BranchNode {
    const varsLen = this.vars.length;
    const pipe = this.pipeline(context, 'rightDelim');
    if (context === 'range') this.rangeDepth++;
    const [list, next] = this.itemList();
    if (context === 'range') this.rangeDepth--;
    let elseList: ListNode | null = null;
    if (next.type === 'else') {
      if (next.chain && next.chain === context) {
        // {{else if x}} is {{else}}{{if x}}...{{end}}{{end}}: the nested control eats the {{end}}.
        const kw = this.nextNonSpace();
        elseList = { pos: next.pos, nodes: [this.control(next.chain, kw.pos)] };
      } else {
        const [list2, end] = this.itemList();
        if (end.type !== 'end') throw this.error(end.pos, `expected end; found {{${end.type}}}`);
        elseList = list2;
      }
    }
    this.vars.length = varsLen;
    return { type: context, pos, pipe, list, elseList };
  }

  private templateName(t: Token, context: string): string {
    if (t.type !== 'string' && t.type !== 'rawString') throw this.unexpected(t, context);
    const name = unquote(t.val);
    if (name === null) throw this.error(t.pos, `invalid syntax in template name ${t.val}`);
    return name;
  }

  private templateControl(pos: number): TemplateNode {
    const context = 'template clause';
    const name = this.templateName(this.nextNonSpace(), context);
    let pipe: PipeNode | null = null;
    const t = this.nextNonSpace();
    if (t.type !== 'rightDelim') {
      this.backup(t);
      pipe = this.pipeline(context, 'rightDelim');
    }
    return { type: 'template', pos, name, pipe };
  }

  private blockControl(): TemplateNode {
    const context = 'block clause';
    const nameTok = this.nextNonSpace();
    const name = this.templateName(nameTok, context);
    const pipe = this.pipeline(context, 'rightDelim');
    this.addDefinition(name, this.parseBody(context), nameTok.pos);
    return { type: 'template', pos: nameTok.pos, name, pipe };
  }

  // ---- pipelines -----------------------------------------------------------------------------

  private pipeline(context: string, end: 'rightDelim' | 'rightParen'): PipeNode {
    const pipe: PipeNode = { type: 'pipe', pos: this.peekNonSpace().pos, isAssign: false, decl: [], cmds: [] };
    this.declarations(pipe, context);
    for (;;) {
      const t = this.nextNonSpace();
      if (t.type === end) {
        this.checkPipeline(pipe, context);
        return pipe;
      }
      if (!OPERAND_START.has(t.type)) throw this.unexpected(t, context);
      this.backup(t);
      pipe.cmds.push(this.command());
    }
  }

  /** `$x :=`, `$x =`, `$i, $e :=` at the start of a pipeline. */
  private declarations(pipe: PipeNode, context: string): void {
    while (this.peekNonSpace().type === 'variable') {
      const v = this.next();
      const after = this.peek();
      const next = this.peekNonSpace();
      if (next.type === 'assign' || next.type === 'declare') {
        pipe.isAssign = next.type === 'assign';
        this.nextNonSpace();
        if (pipe.isAssign && !this.vars.includes(v.val)) throw this.error(v.pos, `undefined variable ${JSON.stringify(v.val)}`);
        pipe.decl.push(v.val);
        this.vars.push(v.val);
        return;
      }
      if (next.type === 'char' && next.val === ',') {
        this.nextNonSpace();
        pipe.decl.push(v.val);
        this.vars.push(v.val);
        if (context === 'range' && pipe.decl.length < 2) {
          const t = this.peekNonSpace();
          if (t.type === 'variable' || t.type === 'rightDelim' || t.type === 'rightParen') continue;
          throw this.error(t.pos, 'range can only initialize variables');
        }
        throw this.error(v.pos, `too many declarations in ${context}`);
      }
      // Not a declaration: put the variable (and the space after it) back.
      if (after.type === 'space') this.backup(after);
      this.backup(v);
      return;
    }
  }

  private checkPipeline(pipe: PipeNode, context: string): void {
    if (pipe.cmds.length === 0) throw this.error(pipe.pos, `missing value for ${context}`);
    pipe.cmds.forEach((c, i) => {
      if (i > 0 && ['bool', 'dot', 'nil', 'number', 'string'].includes(c.args[0]!.type)) {
        throw this.error(c.pos, `non executable command in pipeline stage ${i + 1}`);
      }
    });
  }

  private command(): CommandNode {
    const cmd: CommandNode = { pos: this.peekNonSpace().pos, args: [] };
    for (;;) {
      this.peekNonSpace();
      const operand = this.operand();
      if (operand) cmd.args.push(operand);
      const t = this.next();
      if (t.type === 'space') continue;
      if (t.type === 'rightDelim' || t.type === 'rightParen') this.backup(t);
      else if (t.type !== 'pipe') throw this.unexpected(t, 'operand');
      break;
    }
    if (cmd.args.length === 0) throw this.error(cmd.pos, 'empty command');
    return cmd;
  }

  private operand(): ArgNode | null {
    const node = this.term();
    if (!node || this.peek().type !== 'field') return node;
    const fields: string[] = [];
    while (this.peek().type === 'field') fields.push(this.next().val.slice(1));
    switch (node.type) {
      case 'field':
        return { ...node, idents: [...node.idents, ...fields] };
      case 'variable':
        return { ...node, idents: [...node.idents, ...fields] };
      case 'bool':
      case 'string':
      case 'number':
      case 'nil':
      case 'dot':
        throw this.error(node.pos, `unexpected . after term ${JSON.stringify(nodeString(node))}`);
      default:
        return { type: 'chain', pos: node.pos, node, fields };
    }
  }

  private term(): ArgNode | null {
    const t = this.nextNonSpace();
    switch (t.type) {
      case 'identifier':
        if (!this.isFunc(t.val)) throw this.error(t.pos, `function ${JSON.stringify(t.val)} not defined`);
        return { type: 'identifier', pos: t.pos, name: t.val };
      case 'dot':
        return { type: 'dot', pos: t.pos };
      case 'nil':
        return { type: 'nil', pos: t.pos };
      case 'variable':
        if (!this.vars.includes(t.val)) throw this.error(t.pos, `undefined variable ${JSON.stringify(t.val)}`);
        return { type: 'variable', pos: t.pos, idents: [t.val] };
      case 'field':
        this.fields.add(t.val.slice(1));
        return { type: 'field', pos: t.pos, idents: [t.val.slice(1)] };
      case 'bool':
        return { type: 'bool', pos: t.pos, text: t.val, value: t.val === 'true' };
      case 'charConstant': {
        const r = unquoteRune(t.val);
        if (r === null) throw this.error(t.pos, `malformed character constant: ${t.val}`);
        return { type: 'number', pos: t.pos, text: t.val, value: r };
      }
      case 'number': {
        const n = parseNumber(t.val);
        if (typeof n === 'string') throw this.error(t.pos, n);
        return { type: 'number', pos: t.pos, text: t.val, value: n.value };
      }
      case 'leftParen':
        return this.pipeline('parenthesized pipeline', 'rightParen');
      case 'string':
      case 'rawString': {
        const s = unquote(t.val);
        if (s === null) throw this.error(t.pos, `invalid syntax in string literal ${t.val}`);
        return { type: 'string', pos: t.pos, text: t.val, value: s };
      }
      default:
        this.backup(t);
        return null;
    }
  }
}

/** Go's IsEmptyTree: only whitespace text. */
function isEmptyList(list: ListNode): boolean {
  return list.nodes.every((n) => n.type === 'text' && n.text.trim() === '');
}

export function parseTemplate(src: string, isFunc: (name: string) => boolean): ParsedTemplate {
  return new Parser(src, isFunc).parse();
}
