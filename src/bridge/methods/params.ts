/** Checked access to a request's params: a wrong or missing field is a one-line `invalid` error. */
import { invalid } from '../../engine/errors.js';

type Params = Record<string, unknown>;

export function str(p: Params, key: string): string {
  const v = p[key];
  if (typeof v !== 'string' || v === '') throw invalid(`bridge request: "${key}" must be a non-empty string`);
  return v;
}

export function optStr(p: Params, key: string): string | undefined {
  const v = p[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw invalid(`bridge request: "${key}" must be a string`);
  return v;
}

export function optNum(p: Params, key: string): number | undefined {
  const v = p[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw invalid(`bridge request: "${key}" must be a number`);
  return v;
}

export function optBool(p: Params, key: string): boolean | undefined {
  const v = p[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw invalid(`bridge request: "${key}" must be true or false`);
  return v;
}

export function optStrList(p: Params, key: string): string[] | undefined {
  const v = p[key];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw invalid(`bridge request: "${key}" must be a list of strings`);
  return v as string[];
}

export function obj(p: Params, key: string): Params {
  const v = p[key];
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw invalid(`bridge request: "${key}" must be an object`);
  return v as Params;
}

export function optObjList(p: Params, key: string): Params[] {
  const v = p[key];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'object' && x !== null && !Array.isArray(x))) {
    throw invalid(`bridge request: "${key}" must be a list of objects`);
  }
  return v as Params[];
}
