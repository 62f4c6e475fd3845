/**
 * The parse tree of a Go text/template, and the textual form of its nodes (used in error messages
 * like `executing "" at <.Foo.Bar>`). `pos` is the node's offset in the template source.
 */

export interface TextNode {
  type: 'text';
  pos: number;
  text: string;
}

export interface ActionNode {
  type: 'action';
  pos: number;
  pipe: PipeNode;
}

/** `if` and `with` share a shape: else-if/else-with chains nest in elseList. */
export interface BranchNode {
  type: 'if' | 'with' | 'range';
  pos: number;
  pipe: PipeNode;
  list: ListNode;
  elseList: ListNode | null;
}

export interface TemplateNode {
  type: 'template';
  pos: number;
  name: string;
  pipe: PipeNode | null;
}

export interface LoopControlNode {
  type: 'break' | 'continue';
  pos: number;
}

export type Node = TextNode | ActionNode | BranchNode | TemplateNode | LoopControlNode;

export interface ListNode {
  pos: number;
  nodes: Node[];
}

export interface PipeNode {
  type: 'pipe';
  pos: number;
  isAssign: boolean;
  /** Declared or assigned variable names ("$x"). */
  decl: string[];
  cmds: CommandNode[];
}

export interface CommandNode {
  pos: number;
  args: ArgNode[];
}

export interface FieldNode {
  type: 'field';
  pos: number;
  idents: string[];
}

/** `$x.A.B`: idents[0] is the variable name. */
export interface VariableNode {
  type: 'variable';
  pos: number;
  idents: string[];
}

export interface ChainNode {
  type: 'chain';
  pos: number;
  node: ArgNode;
  fields: string[];
}

export interface IdentifierNode {
  type: 'identifier';
  pos: number;
  name: string;
}

export interface LiteralNode {
  type: 'string' | 'number' | 'bool';
  pos: number;
  /** Source text, for messages. */
  text: string;
  value: string | number | boolean;
}

export interface DotNode {
  type: 'dot' | 'nil';
  pos: number;
}

export type ArgNode = FieldNode | VariableNode | ChainNode | IdentifierNode | PipeNode | LiteralNode | DotNode;

export function listString(list: ListNode): string {
  return list.nodes.map(nodeString).join('');
}

function branchString(n: BranchNode): string {
  const elseStr = n.elseList ? `{{else}}${listString(n.elseList)}` : '';
  return `{{${n.type} ${nodeString(n.pipe)}}}${listString(n.list)}${elseStr}{{end}}`;
}

export function nodeString(n: Node | ArgNode | CommandNode): string {
  if (!('type' in n)) return n.args.map((a) => (a.type === 'pipe' ? `(${nodeString(a)})` : nodeString(a))).join(' ');
  switch (n.type) {
    case 'text':
      return n.text;
    case 'action':
      return `{{${nodeString(n.pipe)}}}`;
    case 'if':
    case 'with':
    case 'range':
      return branchString(n);
    case 'template':
      return `{{template ${JSON.stringify(n.name)}${n.pipe ? ` ${nodeString(n.pipe)}` : ''}}}`;
    case 'break':
    case 'continue':
      return `{{${n.type}}}`;
    case 'pipe': {
      const decl = n.decl.length ? `${n.decl.join(', ')} ${n.isAssign ? '=' : ':='} ` : '';
      return decl + n.cmds.map(nodeString).join(' | ');
    }
    case 'field':
      return `.${n.idents.join('.')}`;
    case 'variable':
      return n.idents.join('.');
    case 'chain': {
      const base = n.node.type === 'pipe' ? `(${nodeString(n.node)})` : nodeString(n.node);
      return `${base}.${n.fields.join('.')}`;
    }
    case 'identifier':
      return n.name;
    case 'string':
    case 'number':
    case 'bool':
      return n.text;
    case 'dot':
      return '.';
    case 'nil':
      return 'nil';
  }
}
