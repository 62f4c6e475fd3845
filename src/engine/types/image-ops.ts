/** Shapes of the image operations beyond list/inspect: history, prune, save, load. */

/** One `history` row, as Docker's API returns it (GET /images/{name}/history). */
export interface ImageHistoryEntry {
  /** "sha256:..." for the image's own (topmost) entry, "<missing>" for the others (Docker's rule). */
  Id: string;
  /** Unix seconds. */
  Created: number;
  CreatedBy: string;
  /** The image's names, on the topmost entry. */
  Tags: string[] | null;
  /** Bytes of the entry's layer (0 for an empty_layer entry). */
  Size: number;
  Comment: string;
}

export interface ImagePruneOptions {
  /** Remove every image no container uses (default: only dangling images). */
  all?: boolean;
  /** Docker's prune filters: until=TIME, label=KEY[=VALUE], label!=KEY[=VALUE]. */
  filters?: Record<string, string[]>;
}

export interface ImagePruneReport {
  /** Names removed from the deleted images. */
  untagged: string[];
  /** "sha256:..." IDs of the deleted images. */
  deleted: string[];
  /** Bytes of the layers removed. */
  spaceReclaimed: number;
}

export type ImageArchiveFormat = 'docker-archive' | 'oci-archive';

export interface ImageSaveOptions {
  format?: ImageArchiveFormat;
}

export interface ImageLoadReport {
  /** Names the loaded images got, in archive order ("docker.io/library/busybox:latest"). */
  names: string[];
  /** "sha256:..." IDs of the loaded images. */
  ids: string[];
}
