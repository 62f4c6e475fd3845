/**
 * JSON keys as Go struct field names (graphRoot → GraphRoot), so `--format '{{.Store.GraphRoot}}'`
 * works as it does with Podman, whose templates see Go structs while its JSON uses lower camel case.
 */
/** Keys whose Go names are not just capitalised (info's rootless ID mappings). */
const irregular: Record<string, string> = { idMappings: 'IDMappings', uidmap: 'UIDMap', gidmap: 'GIDMap', container_id: 'ContainerID', host_id: 'HostID' };

export function goFieldNames(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(goFieldNames);
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, val] of Object.entries(v)) out[irregular[k] ?? k.charAt(0).toUpperCase() + k.slice(1)] = goFieldNames(val);
  return out;
}
