/** Option and result shapes of pull, remote inspect, login and logout (shared by the engine and its clients). */

/** How to reach a registry: TLS, credentials. */
export interface RegistryAccessOptions {
  /** false: allow unverified https and plain http (--tls-verify=false). Default: registries.conf decides. */
  tlsVerify?: boolean;
  /** Directory with *.crt (CAs) and *.cert/*.key (client certificate), instead of /etc/containers/certs.d/HOST. */
  certDir?: string;
  /** Auth file to read (and for login, write) instead of the default. */
  authFile?: string;
  /** "USER:PASSWORD" for this request only. */
  creds?: string;
}

export type PullProgress =
  | { kind: 'resolving'; reference: string }
  | { kind: 'signatures' }
  | { kind: 'blob'; digest: string; state: 'copying' | 'done' | 'skipped'; received: number; total: number }
  | { kind: 'config'; digest: string }
  | { kind: 'writing-manifest' }
  | { kind: 'present'; reference: string };

export interface PullOptions extends RegistryAccessOptions {
  /** "os/arch[/variant]"; default the host. */
  platform?: string;
  arch?: string;
  os?: string;
  variant?: string;
  quiet?: boolean;
  onProgress?: (p: PullProgress) => void;
}

/** `image inspect --remote` (skopeo inspect's fields). */
export interface RemoteImageInspect {
  Name: string;
  Digest: string;
  RepoTags: string[];
  Created: string;
  Architecture: string;
  Os: string;
  Variant?: string;
  Labels: Record<string, string> | null;
  Env: string[];
  Layers: { Digest: string; Size: number; MediaType: string }[];
  Size: number;
}

export interface LoginOptions {
  username: string;
  password: string;
  authFile?: string;
  tlsVerify?: boolean;
  certDir?: string;
}

/** What push reports as it goes (the CLI prints Podman's lines). */
export type PushProgress =
  | { kind: 'signatures' }
  | { kind: 'blob'; digest: string; state: 'copying'; sent: number; total: number }
  | { kind: 'blob'; digest: string; state: 'done' | 'skipped' | 'mounted' }
  | { kind: 'config'; digest: string }
  | { kind: 'writing-manifest' };

export interface PushOptions extends RegistryAccessOptions {
  /** Manifest format: OCI (default) or Docker schema2. */
  format?: 'oci' | 'v2s2';
  onProgress?: (p: PushProgress) => void;
}

export interface ImageCopyOptions {
  /** How to reach the source and the destination registries. */
  src?: RegistryAccessOptions;
  dest?: RegistryAccessOptions;
  /** Which image of a multi-platform source; default the host's. */
  platform?: string;
  onProgress?: (p: PushProgress) => void;
}
