/**
 * `search TERM`: the repositories whose name contains TERM in the catalogs (/v2/_catalog, paginated)
 * of the registry named in `REGISTRY/TERM`, or else of the unqualified-search registries; and
 * `search --list-tags REPOSITORY`: the tags of one repository. Catalogs carry no descriptions or stars,
 * so those fields are empty (as podman shows them for such registries).
 */
import { SelkieError, isSelkieError, usageError } from '../errors.js';
import type { RegistriesConfig } from '../config/registries-conf.js';
import { registryClient } from '../registry/registry-access.js';
import type { ImageSearchOptions, ImageSearchResult } from '../registry/search-types.js';
import { parseRawReference, splitDomain } from './reference.js';

const DEFAULT_LIMIT = 25;

/** Page size of catalog and tag list requests (SELKIE_REGISTRY_PAGE_SIZE; the registry may send fewer). */
function pageSize(): number {
  const n = Number(process.env.SELKIE_REGISTRY_PAGE_SIZE);
  return Number.isInteger(n) && n > 0 ? n : 100;
}

function searchRegistries(domain: string, conf: RegistriesConfig): string[] {
  if (domain) return [domain];
  if (conf.unqualifiedSearchRegistries.length === 0) {
    throw usageError('no registry to search: the term names none and registries.conf lists no unqualified-search-registries', 'search REGISTRY/TERM, e.g. selkie search quay.io/podman');
  }
  return [...conf.unqualifiedSearchRegistries];
}

function keep(r: ImageSearchResult, f: ImageSearchOptions['filter']): boolean {
  if (!f) return true;
  if (f.stars !== undefined && r.Stars < f.stars) return false;
  if (f.isOfficial !== undefined && (r.Official !== '') !== f.isOfficial) return false;
  if (f.isAutomated !== undefined && (r.Automated !== '') !== f.isAutomated) return false;
  return true;
}

const result = (index: string, name: string, tag = ''): ImageSearchResult => ({ Index: index, Name: name, Description: '', Stars: 0, Official: '', Automated: '', Tag: tag });

export async function searchImages(term: string, opts: ImageSearchOptions, conf: RegistriesConfig, log?: (m: string) => void): Promise<ImageSearchResult[]> {
  if (!term) throw usageError('search needs a term', 'e.g. selkie search busybox');
  const limit = opts.limit && opts.limit > 0 ? opts.limit : DEFAULT_LIMIT;
  if (opts.listTags) return listTags(term, opts, limit, conf, log);
  const { domain, remainder } = splitDomain(term);
  const needle = remainder.toLowerCase();
  const out: ImageSearchResult[] = [];
  const errors: unknown[] = [];
  const registries = searchRegistries(domain, conf);
  for (const registry of registries) {
    try {
      const client = registryClient({ domain: registry }, opts, conf, log);
      const repos = await client.listCatalog(pageSize());
      out.push(
        ...repos
          .filter((r) => r.toLowerCase().includes(needle))
          .map((r) => result(registry, `${registry}/${r}`))
          .filter((r) => keep(r, opts.filter))
          .slice(0, limit),
      );
    } catch (e) {
      if (!isSelkieError(e) || !['not-found', 'registry', 'auth'].includes(e.kind)) throw e;
      log?.(`searching ${registry}: ${e.message}`);
      errors.push(e);
    }
  }
  // Like podman: results from the registries that answered; an error only when none did.
  if (errors.length === registries.length) {
    if (errors.length === 1) throw errors[0];
    throw new SelkieError('registry', `cannot search any of ${registries.join(', ')}: ${errors.map((e) => (e as Error).message).join('; ')}`);
  }
  return out;
}

async function listTags(term: string, opts: ImageSearchOptions, limit: number, conf: RegistriesConfig, log?: (m: string) => void): Promise<ImageSearchResult[]> {
  let ref;
  try {
    ref = parseRawReference(term);
  } catch {
    throw usageError(`${JSON.stringify(term)} is not a repository name`, 'e.g. selkie search --list-tags quay.io/podman/hello');
  }
  if (ref.tag !== undefined || ref.digest !== undefined) throw usageError(`--list-tags takes a repository without a tag or digest: ${term}`, `e.g. selkie search --list-tags ${term.replace(/[:@].*$/, '')}`);
  let last: unknown;
  for (const registry of searchRegistries(ref.domain, conf)) {
    const path = ref.domain || registry !== 'docker.io' || ref.path.includes('/') ? ref.path : `library/${ref.path}`;
    try {
      const client = registryClient({ domain: registry, credentialKey: `${registry}/${path}` }, opts, conf, log);
      const tags = await client.listTags(path, pageSize());
      return tags.slice(0, limit).map((t) => result(registry, `${registry}/${path}`, t));
    } catch (e) {
      if (!isSelkieError(e) || !['not-found', 'registry', 'auth'].includes(e.kind)) throw e;
      log?.(`listing tags of ${registry}/${path}: ${e.message}`);
      last = e;
    }
  }
  throw last;
}
