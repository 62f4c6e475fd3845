/**
 * Checks JSON values against the types of a parsed varlink interface and returns them normalized,
 * as leniently as Podman 1.9 (Go's encoding/json) took them: a missing or null field of a
 * non-nullable type gets its zero value (false, 0, "", [], {}, a struct of zero values), fields the
 * type does not name are dropped. A value of the wrong type throws InvalidParameter naming it by its
 * path: `create.args[1]`, `labels["a"]`.
 */
import type { InterfaceDefinition, StructType, VarlinkType } from './idl-types.js';
import { serviceErrors } from './varlink-error.js';

export function checkStruct(def: InterfaceDefinition, struct: StructType, value: unknown, path = ''): Record<string, unknown> {
  if (value === undefined || value === null) value = {};
  if (!isPlainObject(value)) throw serviceErrors.invalidParameter(path || 'parameters');
  const out: Record<string, unknown> = {};
  for (const f of struct.fields) {
    const v = checkValue(def, f.type, value[f.name], path ? `${path}.${f.name}` : f.name);
    if (v !== undefined) out[f.name] = v;
  }
  return out;
}

export function checkValue(def: InterfaceDefinition, type: VarlinkType, value: unknown, path: string): unknown {
  if (type.kind === 'nullable') return value === undefined || value === null ? undefined : checkValue(def, type.type, value, path);
  if (value === undefined || value === null) return zeroValue(def, type);
  const bad = () => serviceErrors.invalidParameter(path);
  switch (type.kind) {
    case 'bool':
      if (typeof value !== 'boolean') throw bad();
      return value;
    case 'int':
      if (typeof value !== 'number' || !Number.isInteger(value)) throw bad();
      return value;
    case 'float':
      if (typeof value !== 'number' || !Number.isFinite(value)) throw bad();
      return value;
    case 'string':
      if (typeof value !== 'string') throw bad();
      return value;
    case 'object':
      if (!isPlainObject(value)) throw bad();
      return value;
    case 'array':
      if (!Array.isArray(value)) throw bad();
      return value.map((v, i) => checkValue(def, type.element, v, `${path}[${i}]`));
    case 'map': {
      if (!isPlainObject(value)) throw bad();
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = checkValue(def, type.value, v, `${path}[${JSON.stringify(k)}]`);
      return out;
    }
    case 'enum':
      if (typeof value !== 'string' || !type.values.includes(value)) throw bad();
      return value;
    case 'struct':
      return checkStruct(def, type, value, path);
    case 'alias':
      return checkValue(def, resolveAlias(def, type.name), value, path);
  }
}

/**
 * The value a missing field takes (Go's zero value of the type). `visiting` stops a type that
 * contains itself without a nullable, array or map in between (no finite value has it; {} is given).
 */
export function zeroValue(def: InterfaceDefinition, type: VarlinkType, visiting: ReadonlySet<string> = new Set()): unknown {
  switch (type.kind) {
    case 'nullable':
      return undefined;
    case 'bool':
      return false;
    case 'int':
    case 'float':
      return 0;
    case 'string':
    case 'enum':
      return '';
    case 'object':
    case 'map':
      return {};
    case 'array':
      return [];
    case 'struct':
      return Object.fromEntries(type.fields.filter((f) => f.type.kind !== 'nullable').map((f) => [f.name, zeroValue(def, f.type, visiting)]));
    case 'alias':
      if (visiting.has(type.name)) return {};
      return zeroValue(def, resolveAlias(def, type.name), new Set([...visiting, type.name]));
  }
}

function resolveAlias(def: InterfaceDefinition, name: string): VarlinkType {
  const t = def.types.get(name);
  // The parser rejects unknown names; this guards a hand-built definition.
  if (!t) throw new Error(`varlink interface ${def.name} has no type ${name}`);
  return t.type;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
