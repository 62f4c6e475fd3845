/**
 * Loading containers-registries.conf(5) with its drop-ins (containers-registries.conf.d(5)) and the
 * short-name alias cache. Which files, in order (each later one overrides the earlier ones):
 *
 * 1. The main file: `--registries-conf`-style option, else $CONTAINERS_REGISTRIES_CONF, else
 *    $XDG_CONFIG_HOME/containers/registries.conf (default ~/.config/...) when it exists (it replaces the
 *    system file), else /etc/containers/registries.conf. A missing default file is fine; a missing file the
 *    user named is an error.
 * 2. Drop-ins, `*.conf` sorted by name: /etc/containers/registries.conf.d (only when the system file is the
 *    main file), then $XDG_CONFIG_HOME/containers/registries.conf.d.
 * 3. [aliases] from the machine-written cache: ~/.cache/containers/short-name-aliases.conf
 *    ($XDG_CACHE_HOME), or /var/cache/containers/short-name-aliases.conf for root.
 *
 * Merging: unqualified-search-registries, short-name-mode and credential-helpers are replaced when a later
 * file sets them; [[registry]] tables with the same prefix are replaced, others appended; aliases are
 * replaced per name and an empty value erases one.
 *
 * Nothing is read until loadRegistriesConfig() is called; results are cached while the files are unchanged.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { hostUid } from './paths.js';
import { SelkieError } from '../errors.js';
import { parseRegistriesConf } from './registries-conf-file.js';
import { emptyRegistriesConfig, type RegistriesConfFragment, type RegistriesConfig } from './registries-conf-types.js';
import { writeFileAtomic } from '../util/atomic-file.js';

export * from './registries-conf-types.js';
export { findRegistry, isBlocked, isInsecure, prefixMatchLength, pullSources, type PullSource } from './registries-match.js';
export { parseRegistriesConf } from './registries-conf-file.js';

export const SYSTEM_REGISTRIES_CONF = '/etc/containers/registries.conf';
export const SYSTEM_REGISTRIES_CONF_DIR = '/etc/containers/registries.conf.d';
export const ROOT_ALIAS_CACHE = '/var/cache/containers/short-name-aliases.conf';

export interface RegistriesConfigOptions {
  env?: NodeJS.ProcessEnv;
  /** Effective uid (root uses the /var/cache alias file); default process.geteuid(). */
  uid?: number;
  /** An explicit main file (wins over $CONTAINERS_REGISTRIES_CONF); it must exist. */
  confPath?: string;
  /** Use only this drop-in directory instead of the system and user ones. */
  confDirPath?: string;
  /** Overrides of the /etc locations, for tests. */
  systemConfPath?: string;
  systemConfDirPath?: string;
  /** Override of the short-name alias cache file. */
  aliasCachePath?: string;
  /**
   * A file where the parsed configuration is kept for later processes (the engine's run root):
   * used while every file it came from is unchanged (inode, size, mtime), so a command parses no TOML.
   */
  parsedCache?: string;
}

export interface RegistriesConfFiles {
  mainFile: string;
  /** The main file was named explicitly, so it must exist. */
  mainRequired: boolean;
  dropInDirs: string[];
  aliasCache: string;
}

function exists(file: string): boolean {
  try {
    fs.statSync(file);
    return true;
  } catch {
    return false;
  }
}

/** Which files and directories loadRegistriesConfig reads (without reading them). */
export function registriesConfFiles(opts: RegistriesConfigOptions = {}): RegistriesConfFiles {
  const env = opts.env ?? process.env;
  const home = env.HOME || os.homedir();
  const configHome = env.XDG_CONFIG_HOME || path.join(home, '.config');
  const userFile = path.join(configHome, 'containers', 'registries.conf');
  const userDir = path.join(configHome, 'containers', 'registries.conf.d');
  const systemFile = opts.systemConfPath ?? SYSTEM_REGISTRIES_CONF;
  const systemDir = opts.systemConfDirPath ?? SYSTEM_REGISTRIES_CONF_DIR;
  const uid = opts.uid ?? hostUid(); // the user's, also inside its rootless namespace
  const cacheHome = env.XDG_CACHE_HOME || path.join(home, '.cache');
  const aliasCache =
    opts.aliasCachePath ?? (uid === 0 ? ROOT_ALIAS_CACHE : path.join(cacheHome, 'containers', 'short-name-aliases.conf'));

  const explicit = opts.confPath || env.CONTAINERS_REGISTRIES_CONF || '';
  let mainFile: string;
  let dropInDirs: string[];
  if (explicit) {
    mainFile = explicit;
    dropInDirs = [userDir];
  } else if (exists(userFile)) {
    mainFile = userFile;
    dropInDirs = [userDir];
  } else {
    mainFile = systemFile;
    dropInDirs = [systemDir, userDir];
  }
  if (opts.confDirPath) dropInDirs = [opts.confDirPath];
  return { mainFile, mainRequired: explicit !== '', dropInDirs, aliasCache };
}

interface FileStamp {
  file: string;
  stamp: string;
}

function stampOf(file: string): FileStamp | undefined {
  try {
    const st = fs.statSync(file);
    if (!st.isFile()) return undefined;
    return { file, stamp: `${st.ino}:${st.size}:${st.mtimeMs}` };
  } catch {
    return undefined;
  }
}

function dropIns(dir: string): FileStamp[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((n) => n.endsWith('.conf'))
    .sort()
    .map((n) => stampOf(path.join(dir, n)))
    .filter((s): s is FileStamp => s !== undefined);
}

function readFragment(file: string): RegistriesConfFragment {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new SelkieError('state', `cannot read ${file}: ${(e as Error).message}`, {
      hint: 'check its permissions, or point CONTAINERS_REGISTRIES_CONF at a readable file',
      cause: e,
    });
  }
  return parseRegistriesConf(text, file);
}

/** Applies one file's settings on top of `config` (containers-registries.conf.d(5) rules). */
export function mergeRegistriesConf(config: RegistriesConfig, fragment: RegistriesConfFragment, aliasesOnly = false): void {
  config.files.push(fragment.file);
  if (!aliasesOnly) {
    if (fragment.unqualifiedSearchRegistries !== undefined) config.unqualifiedSearchRegistries = [...fragment.unqualifiedSearchRegistries];
    if (fragment.shortNameMode !== undefined) config.shortNameMode = fragment.shortNameMode;
    if (fragment.credentialHelpers !== undefined) config.credentialHelpers = [...fragment.credentialHelpers];
    for (const entry of fragment.registries) {
      const i = config.registries.findIndex((r) => r.prefix === entry.prefix);
      if (i === -1) config.registries.push(entry);
      else config.registries[i] = entry;
    }
  }
  for (const [name, value] of Object.entries(fragment.aliases)) {
    if (value === '') delete config.aliases[name];
    else config.aliases[name] = { value, source: fragment.file };
  }
}

const cache = new Map<string, RegistriesConfig>();
const CACHE_LIMIT = 16;

/** Reads and merges registries.conf, its drop-ins and the alias cache (see the file comment). */
export function loadRegistriesConfig(opts: RegistriesConfigOptions = {}): RegistriesConfig {
  const files = registriesConfFiles(opts);
  const main = stampOf(files.mainFile);
  if (!main && files.mainRequired) {
    throw new SelkieError('invalid', `registries configuration ${files.mainFile} does not exist or is not a file`, {
      hint: 'create it or unset CONTAINERS_REGISTRIES_CONF',
    });
  }
  const dropInStamps = files.dropInDirs.flatMap(dropIns);
  const aliasCache = stampOf(files.aliasCache);
  const key = JSON.stringify([files.mainFile, main, dropInStamps, aliasCache]);
  const hit = cache.get(key) ?? readParsedCache(opts.parsedCache, key);
  if (hit) {
    cache.set(key, hit);
    return structuredClone(hit);
  }

  const config = emptyRegistriesConfig(files.mainFile);
  if (main) mergeRegistriesConf(config, readFragment(main.file));
  for (const d of dropInStamps) mergeRegistriesConf(config, readFragment(d.file));
  if (aliasCache) mergeRegistriesConf(config, readFragment(aliasCache.file), true);
  writeParsedCache(opts.parsedCache, key, config);

  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(key, config);
  return structuredClone(config);
}

function readParsedCache(file: string | undefined, key: string): RegistriesConfig | undefined {
  if (!file) return undefined;
  try {
    const c = JSON.parse(fs.readFileSync(file, 'utf8')) as { key?: string; config?: RegistriesConfig };
    return c.key === key && c.config ? c.config : undefined;
  } catch {
    return undefined;
  }
}

function writeParsedCache(file: string | undefined, key: string, config: RegistriesConfig): void {
  if (!file) return;
  try {
    writeFileAtomic(file, JSON.stringify({ key, config }), 0o600);
  } catch {
    // only a cache: the next command parses the files again
  }
}

export function clearRegistriesConfigCache(): void {
  cache.clear();
}

/** The `info` summary: search registries and the insecure and blocked prefixes. */
export function registriesSummary(config: RegistriesConfig): { search: string[]; insecure: string[]; blocked: string[] } {
  return {
    search: [...config.unqualifiedSearchRegistries],
    insecure: config.registries.filter((r) => r.insecure).map((r) => r.prefix),
    blocked: config.registries.filter((r) => r.blocked).map((r) => r.prefix),
  };
}
