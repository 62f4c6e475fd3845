/** `image inspect --remote`: the manifest, config and tag list of a registry image; nothing is stored. */
import { SelkieError, isSelkieError } from '../errors.js';
import type { RegistriesConfig } from '../config/registries-conf.js';
import type { PullOptions, RemoteImageInspect } from '../registry/pull-types.js';
import { registryClient } from '../registry/registry-access.js';
import { wantedPlatform } from '../registry/platform.js';
import { referenceName, referenceToString } from './reference.js';
import { pullCandidates } from './pull-sources.js';
import { fetchImageConfig, fetchImageManifest } from './pull-manifest.js';

export async function inspectRemote(input: string, opts: PullOptions, registries: RegistriesConfig, log?: (m: string) => void): Promise<RemoteImageInspect> {
  let last: unknown;
  for (const c of pullCandidates(input, registries)) {
    for (const source of c.sources) {
      const ref = source.reference;
      try {
        const client = registryClient({ domain: ref.domain, credentialKey: referenceName(ref), insecure: source.insecure }, opts, registries, log);
        const m = await fetchImageManifest(client, ref.path, ref.digest ?? ref.tag ?? 'latest', wantedPlatform(opts));
        const { config } = await fetchImageConfig(client, ref.path, m);
        const tags = await client.listTags(ref.path).catch((e: unknown) => {
          log?.(`listing tags of ${referenceName(ref)}: ${(e as Error).message}`);
          return [] as string[];
        });
        const layers = m.manifest.layers.map((l) => ({ Digest: l.digest, Size: l.size, MediaType: l.mediaType }));
        return {
          Name: referenceName(c.reference),
          Digest: m.indexDigest ?? m.digest,
          RepoTags: tags,
          Created: config.created ?? '',
          Architecture: config.architecture,
          Os: config.os,
          ...(config.variant ? { Variant: config.variant } : {}),
          Labels: config.config?.Labels ?? null,
          Env: config.config?.Env ?? [],
          Layers: layers,
          Size: layers.reduce((n, l) => n + l.Size, 0),
        };
      } catch (e) {
        if (!isSelkieError(e) || !['not-found', 'registry', 'auth'].includes(e.kind)) throw e;
        last = e;
        log?.(`inspecting ${referenceToString(ref)}: ${(e as Error).message}`);
      }
    }
  }
  throw last ?? new SelkieError('not-found', `image ${input} not found in any registry`);
}
