/**
 * io.podman calls that talk to registries besides PullImage: PushImage (progress as Podman's log
 * lines, streamed with `more`; registries.conf decides TLS and auth.json the credentials, as for
 * Podman 1.9's service) and SearchImages.
 */
import type { Engine } from '../../engine.js';
import type { PushOptions, PushProgress } from '../../registry/pull-types.js';
import type { CallInfo, MethodHandler } from '../service.js';
import { moreResponse } from './more-response.js';
import { forImage, podmanError } from './podman-errors.js';

/** Podman's --format names for PushImage; v2s1 (signed schema 1) is not written by selkie. */
function manifestFormat(format: string): PushOptions['format'] {
  switch (format) {
    case '':
      return undefined;
    case 'oci':
      return 'oci';
    case 'v2s2':
    case 'docker':
      return 'v2s2';
    case 'v2s1':
      throw podmanError.errorOccurred('pushing Docker schema 1 manifests (format "v2s1") is not supported: use "v2s2" or "oci"');
    default:
      throw podmanError.errorOccurred(`unknown format ${JSON.stringify(format)}. Choose one of the supported formats: 'oci', 'v2s1', or 'v2s2'`);
  }
}

/** A push event as the line Podman's push printed, each blob once. */
function pushLine(p: PushProgress, seen: Set<string>): string | undefined {
  switch (p.kind) {
    case 'signatures':
      return 'Getting image source signatures';
    case 'blob':
      if (p.state === 'done' || seen.has(p.digest)) return undefined;
      seen.add(p.digest);
      return p.state === 'copying' ? `Copying blob ${p.digest}` : `Copying blob ${p.digest} skipped: already exists`;
    case 'config':
      return `Copying config ${p.digest}`;
    case 'writing-manifest':
      return 'Writing manifest to image destination';
  }
}

interface PushParams {
  name: string;
  tag: string;
  compress: boolean;
  format: string;
  removeSignatures: boolean;
  signBy: string;
}

interface SearchParams {
  query: string;
  limit: number | null;
  filter: { is_official: boolean | null; is_automated: boolean | null; star_count: number };
}

export function imageRegistryMethods(engine: Engine): Record<string, MethodHandler> {
  return {
    PushImage: async (p: PushParams, call: CallInfo) => {
      const format = manifestFormat(p.format);
      if (p.signBy) throw podmanError.errorOccurred(`signing images (signBy ${JSON.stringify(p.signBy)}) is not supported by selkie: push without signBy`);
      // ImageNotFound before anything is sent, as Podman looked the image up first.
      await forImage(p.name, () => engine.images.inspect(p.name));
      const seen = new Set<string>();
      return moreResponse(call, 'reply', async (log) => {
        const digest = await forImage(p.name, () =>
          engine.images.push(p.name, p.tag || undefined, {
            format,
            onProgress: (progress) => {
              const line = pushLine(progress, seen);
              if (line !== undefined) log(line);
            },
          }),
        );
        log('Storing signatures');
        return digest;
      });
    },
    SearchImages: async (p: SearchParams) => {
      // Any failure is ErrorOccurred (mapPodmanError), as in Podman 1.9.
      const results = await engine.images.search(p.query, {
        limit: p.limit ?? undefined,
        filter: {
          stars: p.filter.star_count || undefined,
          isOfficial: p.filter.is_official ?? undefined,
          isAutomated: p.filter.is_automated ?? undefined,
        },
      });
      return {
        results: results.map((r) => ({
          description: r.Description,
          is_official: r.Official === '[OK]',
          is_automated: r.Automated === '[OK]',
          registry: r.Index,
          name: r.Name,
          star_count: r.Stars,
        })),
      };
    },
  };
}
