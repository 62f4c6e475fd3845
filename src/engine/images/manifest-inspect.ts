/**
 * `manifest inspect REF`: the manifest list / image index a registry serves for REF, or the single
 * image manifest when the reference names one; nothing is stored. Short names are tried as pull does.
 */
import { SelkieError, isSelkieError } from '../errors.js';
import type { RegistriesConfig } from '../config/registries-conf.js';
import { registryClient } from '../registry/registry-access.js';
import type { ManifestInspectOptions, ManifestInspectResult } from '../registry/search-types.js';
import { referenceName, referenceToString } from './reference.js';
import { pullCandidates } from './pull-sources.js';

export async function inspectManifest(input: string, opts: ManifestInspectOptions, registries: RegistriesConfig, log?: (m: string) => void): Promise<ManifestInspectResult> {
  let last: unknown;
  for (const c of pullCandidates(input, registries)) {
    for (const source of c.sources) {
      const ref = source.reference;
      try {
        const client = registryClient({ domain: ref.domain, credentialKey: referenceName(ref), insecure: source.insecure }, opts, registries, log);
        const m = await client.getManifest(ref.path, ref.digest ?? ref.tag ?? 'latest');
        return { Name: referenceToString(c.reference), Digest: m.digest, MediaType: m.mediaType, Manifest: JSON.parse(m.raw.toString('utf8')) as unknown };
      } catch (e) {
        if (!isSelkieError(e) || !['not-found', 'registry', 'auth'].includes(e.kind)) throw e;
        last = e;
        log?.(`fetching the manifest of ${referenceToString(ref)}: ${e.message}`);
      }
    }
  }
  throw last ?? new SelkieError('not-found', `manifest of ${input} not found in any registry`);
}
