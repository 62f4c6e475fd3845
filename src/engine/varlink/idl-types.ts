/** The parsed form of a varlink interface definition (varlink.org IDL). */

export type VarlinkType =
  | { kind: 'bool' | 'int' | 'float' | 'string' | 'object' }
  /** `?T`: the value may be null or absent. */
  | { kind: 'nullable'; type: VarlinkType }
  /** `[]T` */
  | { kind: 'array'; element: VarlinkType }
  /** `[string]T`: a JSON object with string keys. */
  | { kind: 'map'; value: VarlinkType }
  /** `(name: T, ...)`, also the parameter lists of methods and errors. */
  | StructType
  /** `(A, B, C)`: one of the names, as a JSON string. */
  | { kind: 'enum'; values: string[] }
  /** A `type` defined in the same interface. */
  | { kind: 'alias'; name: string };

export interface StructType {
  kind: 'struct';
  fields: Field[];
}

export interface Field {
  name: string;
  type: VarlinkType;
  doc: string;
}

export interface TypeDefinition {
  name: string;
  doc: string;
  type: StructType | { kind: 'enum'; values: string[] };
  line: number;
}

export interface MethodDefinition {
  name: string;
  doc: string;
  input: StructType;
  output: StructType;
  line: number;
}

export interface ErrorDefinition {
  name: string;
  doc: string;
  parameters: StructType;
  line: number;
}

export interface InterfaceDefinition {
  /** Reverse-domain name, e.g. io.podman. */
  name: string;
  doc: string;
  types: Map<string, TypeDefinition>;
  methods: Map<string, MethodDefinition>;
  errors: Map<string, ErrorDefinition>;
  /** The definition text as given (what GetInterfaceDescription serves). */
  source: string;
}

/** A type as IDL text: `?[]string`, `[string]Volume`, `(a: int, b: ?bool)`. */
export function formatType(t: VarlinkType): string {
  switch (t.kind) {
    case 'nullable':
      return `?${formatType(t.type)}`;
    case 'array':
      return `[]${formatType(t.element)}`;
    case 'map':
      return `[string]${formatType(t.value)}`;
    case 'struct':
      return `(${t.fields.map((f) => `${f.name}: ${formatType(f.type)}`).join(', ')})`;
    case 'enum':
      return `(${t.values.join(', ')})`;
    case 'alias':
      return t.name;
    default:
      return t.kind;
  }
}

/** The interface as canonical IDL text (no comments), e.g. to compare two definitions. */
export function formatInterface(def: InterfaceDefinition): string {
  const lines = [`interface ${def.name}`];
  for (const t of def.types.values()) lines.push(`type ${t.name} ${formatType(t.type)}`);
  for (const m of def.methods.values()) lines.push(`method ${m.name}${formatType(m.input)} -> ${formatType(m.output)}`);
  for (const e of def.errors.values()) lines.push(`error ${e.name} ${formatType(e.parameters)}`);
  return `${lines.join('\n')}\n`;
}
