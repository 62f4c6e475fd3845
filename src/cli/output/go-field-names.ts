/**
 * JSON keys as Go struct field names (graphRoot → GraphRoot), so `--format '{{.Store.GraphRoot}}'`
 * works as it does with Podman, whose templates see Go structs while its JSON uses lower camel case.
 */
export function goFieldNames(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(goFieldNames);
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, val] of Object.entries(v)) out[k.charAt(0).toUpperCase() + k.slice(1)] = goFieldNames(val);
  return out;
}
