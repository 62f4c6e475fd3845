/** Manifest and layer media types of the OCI image spec and Docker's schema2, and how the client treats them. */
import { SelkieError } from '../errors.js';

export const MediaType = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
} as const;

/** The Accept header for manifest requests: every type this client can read. */
export const MANIFEST_ACCEPT = [MediaType.ociIndex, MediaType.ociManifest, MediaType.dockerList, MediaType.dockerManifest].join(', ');

/** Registries must not serve manifests larger than this (containers/image uses the same limit). */
export const MANIFEST_SIZE_LIMIT = 4 << 20;
/** Image configs are larger than manifests at most by history; the same cap keeps memory bounded. */
export const CONFIG_SIZE_LIMIT = 8 << 20;

export type ManifestKind = 'index' | 'manifest';

/** Whether a manifest media type is a list of platforms or one image; anything else is an error. */
export function manifestKind(mediaType: string, where: string): ManifestKind {
  switch (mediaType) {
    case MediaType.ociIndex:
    case MediaType.dockerList:
      return 'index';
    case MediaType.ociManifest:
    case MediaType.dockerManifest:
      return 'manifest';
    default:
      throw new SelkieError('registry', `unsupported manifest media type ${JSON.stringify(mediaType)} for ${where}`, {
        hint: 'Selkie reads OCI image indexes/manifests and Docker schema2 manifests and manifest lists',
      });
  }
}

export type LayerCompression = 'gzip' | 'zstd' | 'none';

/** The compression a layer media type declares (detection by magic bytes still decides). */
export function layerCompression(mediaType: string): LayerCompression {
  if (mediaType.endsWith('+zstd') || mediaType.endsWith('.zstd')) return 'zstd';
  if (mediaType.endsWith('+gzip') || mediaType.endsWith('.gzip') || mediaType.endsWith('tar.gzip')) return 'gzip';
  if (mediaType.endsWith('.tar') || mediaType.endsWith('rootfs.diff.tar')) return 'none';
  return 'gzip';
}

/** Strip parameters ("; charset=utf-8") from a Content-Type. */
export function bareMediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim();
}
