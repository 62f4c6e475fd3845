/** Option and result shapes of `search` and `manifest inspect` (shared by the engine and its clients). */
import type { RegistryAccessOptions } from './pull-types.js';

export interface ImageSearchFilter {
  /** Only repositories with at least this many stars. */
  stars?: number;
  isOfficial?: boolean;
  isAutomated?: boolean;
}

export interface ImageSearchOptions extends RegistryAccessOptions {
  /** Results per registry (default 25). With listTags: tags of the repository. */
  limit?: number;
  filter?: ImageSearchFilter;
  /** List the tags of the one repository named by the term instead of searching. */
  listTags?: boolean;
}

/** One search result, with podman's field names (`--format {{.Name}}`). */
export interface ImageSearchResult {
  /** The registry searched (HOST[:PORT]). */
  Index: string;
  /** HOST/REPOSITORY. */
  Name: string;
  Description: string;
  Stars: number;
  /** "[OK]" when official, else "". */
  Official: string;
  /** "[OK]" when automated, else "". */
  Automated: string;
  /** With listTags: the tag; else "". */
  Tag: string;
}

export interface ManifestInspectResult {
  /** The fully qualified reference that was fetched. */
  Name: string;
  Digest: string;
  MediaType: string;
  /** The manifest list / image index, or the single image manifest, as the registry serves it. */
  Manifest: unknown;
}

export type ManifestInspectOptions = RegistryAccessOptions;
