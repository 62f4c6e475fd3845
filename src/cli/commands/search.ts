import { usageError } from '../../engine/errors.js';
import type { ImageSearchFilter, ImageSearchResult } from '../../engine/registry/search-types.js';
import type { CommandModule } from '../command-module.js';
import { formatRows } from '../format/output.js';
import { addRegistryFlags, registryFlagValues } from '../output/registry-flags.js';

const SEARCH_TABLE = 'table {{.Name}}\t{{.Description}}';
const TAGS_TABLE = 'table {{.Name}}\t{{.Tag}}';
const headers = { Index: 'INDEX', Name: 'NAME', Description: 'DESCRIPTION', Stars: 'STARS', Official: 'OFFICIAL', Automated: 'AUTOMATED', Tag: 'TAG' };

function boolValue(key: string, v: string): boolean {
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  throw usageError(`invalid filter value ${JSON.stringify(`${key}=${v}`)}: want true or false`);
}

/** podman's search filters: stars=N, is-official=BOOL, is-automated=BOOL. */
export function parseSearchFilters(values: readonly string[]): ImageSearchFilter {
  const f: ImageSearchFilter = {};
  for (const v of values) {
    const eq = v.indexOf('=');
    const key = eq < 0 ? v : v.slice(0, eq);
    const value = eq < 0 ? '' : v.slice(eq + 1);
    if (key === 'stars') {
      const n = Number(value);
      if (!/^\d+$/.test(value) || !Number.isSafeInteger(n)) throw usageError(`invalid filter value ${JSON.stringify(v)}: stars must be a whole number`);
      f.stars = n;
    } else if (key === 'is-official') f.isOfficial = boolValue(key, value);
    else if (key === 'is-automated') f.isAutomated = boolValue(key, value);
    else throw usageError(`invalid filter type ${JSON.stringify(v)}`, 'filters are stars=N, is-official=BOOL and is-automated=BOOL');
  }
  return f;
}

/** podman cuts descriptions at 44 characters unless --no-trunc. */
const truncate = (s: string): string => ([...s].length > 44 ? `${[...s].slice(0, 44).join('').trim()}...` : s);

export const command: CommandModule = {
  usage: '[OPTIONS] TERM',
  description: 'Search registries for images: the repositories containing TERM in the catalogs of REGISTRY (REGISTRY/TERM) or of the unqualified-search registries',
  examples: ['selkie search busybox', 'selkie search --tls-verify=false localhost:5000/app', 'selkie search --list-tags quay.io/podman/hello', "selkie search --format '{{.Index}} {{.Name}}' alpine"],
  configure(cmd) {
    cmd
      .argument('<term>')
      .option('--limit <n>', 'at most this many results per registry (default 25)')
      .option('-f, --filter <filter>', 'filter the results: stars=N, is-official=BOOL, is-automated=BOOL (repeatable)', (v: string, prev: string[] = []) => [...prev, v])
      .option('--list-tags', 'list the tags of the repository TERM')
      .option('--no-trunc', 'do not truncate the output')
      .option('--format <template>', "format the output with a Go template, or 'json'");
    addRegistryFlags(cmd);
  },
  async run(ctx, args, opts) {
    let limit: number | undefined;
    if (opts.limit !== undefined) {
      limit = Number(opts.limit);
      if (!/^\d+$/.test(String(opts.limit)) || !Number.isSafeInteger(limit)) throw usageError(`invalid --limit ${JSON.stringify(opts.limit)}: want a whole number`);
    }
    const filter = parseSearchFilters((opts.filter as string[] | undefined) ?? []);
    const listTags = opts.listTags === true;
    if (listTags && Object.keys(filter).length > 0) throw usageError('--filter cannot be used with --list-tags');
    const engine = await ctx.engine();
    const results = await engine.images.search(args[0]!, { ...registryFlagValues(opts), ...(limit !== undefined ? { limit } : {}), filter, listTags });
    const rows: ImageSearchResult[] = results.map((r) => (opts.trunc === false ? r : { ...r, Description: truncate(r.Description) }));
    const format = opts.format as string | undefined;
    if (format === 'json') {
      if (!listTags) return void ctx.out(JSON.stringify(rows, null, 4));
      const byName = new Map<string, string[]>();
      for (const r of rows) byName.set(r.Name, [...(byName.get(r.Name) ?? []), r.Tag]);
      return void ctx.out(JSON.stringify([...byName].map(([Name, Tags]) => ({ Name, Tags })), null, 4));
    }
    if (rows.length === 0) return;
    ctx.out(formatRows(format ?? (listTags ? TAGS_TABLE : SEARCH_TABLE), rows, { headers, defaultTable: listTags ? TAGS_TABLE : SEARCH_TABLE }));
  },
};
