/** Image shapes shared by the engine and its clients (Docker-compatible where Docker has them). */

/** OCI image config (application/vnd.oci.image.config.v1+json), the parts the engine reads. */
export interface ImageConfig {
  created?: string;
  author?: string;
  architecture: string;
  os: string;
  variant?: string;
  config?: {
    User?: string;
    ExposedPorts?: Record<string, object>;
    Env?: string[];
    Entrypoint?: string[] | null;
    Cmd?: string[] | null;
    Volumes?: Record<string, object>;
    WorkingDir?: string;
    Labels?: Record<string, string> | null;
    StopSignal?: string;
  };
  rootfs: { type: 'layers'; diff_ids: string[] };
  history?: { created?: string; created_by?: string; author?: string; comment?: string; empty_layer?: boolean }[];
}

export interface ImageImportOptions {
  /** Name to tag the new image with (optional, docker import REPOSITORY[:TAG]). */
  reference?: string;
  /** Dockerfile-style instructions applied to the config (--change "CMD [...]"). */
  changes?: string[];
  message?: string;
  architecture?: string;
  os?: string;
}

export interface ImageListOptions {
  all?: boolean;
  filters?: Record<string, string[]>;
}

export interface ImageSummary {
  Id: string;
  RepoTags: string[];
  RepoDigests: string[];
  Created: number; // unix seconds
  Size: number;
  Labels: Record<string, string>;
  Dangling: boolean;
}

/** `image inspect` JSON as Docker prints it (plus Podman's extra fields where they help). */
export interface ImageInspect {
  Id: string;
  Digest: string;
  RepoTags: string[];
  RepoDigests: string[];
  Parent: string;
  Comment: string;
  Created: string;
  Config: NonNullable<ImageConfig['config']>;
  Architecture: string;
  Os: string;
  Variant?: string;
  Size: number;
  VirtualSize: number;
  GraphDriver: { Name: string; Data: Record<string, string> };
  RootFS: { Type: string; Layers: string[] };
  Labels: Record<string, string> | null;
  Author: string;
  ManifestType: string;
  History: NonNullable<ImageConfig['history']>;
}
