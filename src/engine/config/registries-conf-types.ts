/** The shapes of containers-registries.conf(5), after parsing, V1 conversion and merging. */

export type ShortNameMode = 'enforcing' | 'permissive' | 'disabled';
export type PullFromMirror = 'all' | 'digest-only' | 'tag-only';

/** The reserved credential helper name meaning "use the auth files" (containers-auth.json(5)). */
export const AUTH_FILE_HELPER = 'containers-auth.json';

export interface RegistryMirror {
  location: string;
  insecure: boolean;
  /** When this mirror is used: for every pull, only by-digest pulls or only by-tag pulls. */
  pullFromMirror: PullFromMirror;
}

/** One `[[registry]]` table. */
export interface RegistryEntry {
  /** What image names it applies to: host[:port][/namespace...] or `*.domain`. */
  prefix: string;
  /** Where those images really are; '' only for a wildcard prefix (no rewriting). */
  location: string;
  insecure: boolean;
  blocked: boolean;
  mirrorByDigestOnly: boolean;
  mirrors: RegistryMirror[];
  /** Per-registry proxy URL, kept for the registry client. */
  proxy?: string;
  /** The file that defined it, for messages. */
  source: string;
}

export interface ShortNameAlias {
  /** Fully qualified repository without tag or digest, e.g. "docker.io/library/busybox". */
  value: string;
  source: string;
}

/** What one file says; undefined fields were not set in it. */
export interface RegistriesConfFragment {
  file: string;
  unqualifiedSearchRegistries?: string[];
  shortNameMode?: ShortNameMode;
  credentialHelpers?: string[];
  registries: RegistryEntry[];
  /** '' as a value erases an alias set by an earlier file. */
  aliases: Record<string, string>;
}

/** The effective configuration after all files were merged. */
export interface RegistriesConfig {
  unqualifiedSearchRegistries: string[];
  shortNameMode: ShortNameMode;
  credentialHelpers: string[];
  registries: RegistryEntry[];
  aliases: Record<string, ShortNameAlias>;
  /** Files read, in load order. */
  files: string[];
  /** The main registries.conf used (it may not exist), to name in messages. */
  mainFile: string;
}

export function emptyRegistriesConfig(mainFile = ''): RegistriesConfig {
  return {
    unqualifiedSearchRegistries: [],
    shortNameMode: 'permissive',
    credentialHelpers: [AUTH_FILE_HELPER],
    registries: [],
    aliases: {},
    files: [],
    mainFile,
  };
}
