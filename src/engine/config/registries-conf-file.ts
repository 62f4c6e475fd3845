/**
 * One registries.conf file → a RegistriesConfFragment. Both formats are read:
 *
 * V2: unqualified-search-registries, short-name-mode, credential-helpers, [[registry]] (prefix, location,
 *     insecure, blocked, mirror-by-digest-only, proxy, [[registry.mirror]] location/insecure/pull-from-mirror),
 *     [aliases].
 * V1 (deprecated): [registries.search] / [registries.insecure] / [registries.block] with `registries = [...]`,
 *     converted to V2. Mixing both formats in one file is an error, as in containers/image.
 */
import { DOMAIN_RE } from '../images/reference-grammar.js';
import { parseNormalizedReference, parseRawReference, referenceName } from '../images/reference.js';
import { isSelkieError } from '../errors.js';
import type { PullFromMirror, RegistriesConfFragment, RegistryEntry, RegistryMirror, ShortNameMode } from './registries-conf-types.js';
import { TomlFields, configError, parseTomlFile, type TomlTable } from './toml-file.js';

const V2_KEYS = ['unqualified-search-registries', 'short-name-mode', 'credential-helpers', 'registry', 'aliases'];
const SHORT_NAME_MODES: readonly string[] = ['enforcing', 'permissive', 'disabled'];
const PULL_FROM_MIRROR: readonly string[] = ['all', 'digest-only', 'tag-only'];

/** A location or prefix without trailing '/'; URL schemes are refused. */
function parseLocation(file: string, where: string, value: string): string {
  const trimmed = value.replace(/\/+$/, '');
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)) {
    throw configError(file, `${where}: ${JSON.stringify(value)}: URL schemes are not supported, write host[:port][/path]`);
  }
  if (/\s/.test(trimmed)) throw configError(file, `${where}: ${JSON.stringify(value)} must not contain spaces`);
  return trimmed;
}

function parseSearchRegistry(file: string, value: string): string {
  const location = parseLocation(file, '"unqualified-search-registries"', value);
  const host = location.split('/')[0]!;
  if (!DOMAIN_RE.test(host)) {
    throw configError(file, `"unqualified-search-registries": ${JSON.stringify(value)} is not a registry host[:port]`);
  }
  return location;
}

function parseMirror(file: string, table: TomlTable, where: string, byDigestOnly: boolean): RegistryMirror {
  const f = new TomlFields(file, table, where);
  const location = parseLocation(file, where, f.string('location') ?? '');
  if (location === '') throw configError(file, `${where}: "location" is required for a mirror`);
  const pull = f.string('pull-from-mirror') ?? '';
  if (pull !== '' && !PULL_FROM_MIRROR.includes(pull)) {
    throw configError(file, `${where}: "pull-from-mirror" must be "all", "digest-only" or "tag-only", not ${JSON.stringify(pull)}`);
  }
  if (pull !== '' && byDigestOnly) {
    throw configError(file, `${where}: "pull-from-mirror" cannot be set when the registry sets "mirror-by-digest-only"`);
  }
  return { location, insecure: f.boolean('insecure') ?? false, pullFromMirror: (pull || 'all') as PullFromMirror };
}

function parseRegistry(file: string, table: TomlTable, index: number): RegistryEntry {
  let where = `[[registry]] #${index + 1}`;
  const f = new TomlFields(file, table, where);
  const rawPrefix = f.string('prefix') ?? '';
  const location = parseLocation(file, where, f.string('location') ?? '');
  let prefix: string;
  if (rawPrefix === '') {
    if (location === '') throw configError(file, `${where}: set "location" (and optionally "prefix")`);
    prefix = location;
  } else if (rawPrefix.startsWith('*.')) {
    if (/[/:@]/.test(rawPrefix) || rawPrefix.slice(2).includes('*')) {
      throw configError(file, `${where}: wildcard prefix ${JSON.stringify(rawPrefix)} must be of the form *.example.com`);
    }
    prefix = rawPrefix;
  } else {
    prefix = parseLocation(file, where, rawPrefix);
    if (location === '') {
      throw configError(file, `${where}: "location" is required unless "prefix" is a wildcard such as *.example.com`);
    }
  }
  where = `[[registry]] ${JSON.stringify(prefix)}`;
  const byDigestOnly = f.boolean('mirror-by-digest-only') ?? false;
  const mirrors = (f.tableArray('mirror') ?? []).map((m, i) => parseMirror(file, m, `${where} mirror #${i + 1}`, byDigestOnly));
  const entry: RegistryEntry = {
    prefix,
    location,
    insecure: f.boolean('insecure') ?? false,
    blocked: f.boolean('blocked') ?? false,
    mirrorByDigestOnly: byDigestOnly,
    mirrors,
    source: file,
  };
  const proxy = f.string('proxy');
  if (proxy) entry.proxy = proxy;
  return entry;
}

function checkRegistryConflicts(file: string, registries: RegistryEntry[]): void {
  const prefixes = new Set<string>();
  const insecureByLocation = new Map<string, boolean>();
  for (const r of registries) {
    if (prefixes.has(r.prefix)) throw configError(file, `[[registry]] prefix ${JSON.stringify(r.prefix)} is defined more than once`);
    prefixes.add(r.prefix);
    const key = r.location || r.prefix;
    const seen = insecureByLocation.get(key);
    if (seen !== undefined && seen !== r.insecure) {
      throw configError(file, `registry ${JSON.stringify(key)} is defined more than once with different "insecure" settings`);
    }
    insecureByLocation.set(key, r.insecure);
  }
}

function parseAliases(file: string, table: TomlTable): Record<string, string> {
  const aliases: Record<string, string> = {};
  for (const [name, value] of Object.entries(table)) {
    const where = `[aliases] ${JSON.stringify(name)}`;
    if (typeof value !== 'string') throw configError(file, `${where} must be a string`);
    let short;
    try {
      short = parseRawReference(name);
    } catch (e) {
      throw configError(file, `${where}: ${isSelkieError(e) ? e.message : String(e)}`);
    }
    if (short.domain !== '' || name === 'localhost') {
      throw configError(file, `${where}: an alias name must be a short name (no registry, not localhost)`);
    }
    if (short.tag !== undefined || short.digest !== undefined) throw configError(file, `${where}: an alias name cannot have a tag or digest`);
    if (value === '') {
      aliases[name] = '';
      continue;
    }
    let target;
    try {
      if (parseRawReference(value).domain === '') throw new Error('is not fully qualified (registry/repository)');
      target = parseNormalizedReference(value);
    } catch (e) {
      throw configError(file, `${where}: value ${JSON.stringify(value)} ${isSelkieError(e) ? `is invalid (${e.message})` : (e as Error).message}`);
    }
    if (target.tag !== undefined || target.digest !== undefined) {
      throw configError(file, `${where}: value ${JSON.stringify(value)} cannot have a tag or digest`);
    }
    aliases[name] = referenceName(target);
  }
  return aliases;
}

function parseV1(file: string, registriesTable: TomlTable): RegistriesConfFragment {
  const root = new TomlFields(file, registriesTable, '[registries]');
  const list = (section: string): string[] | undefined => {
    const t = root.subTable(section);
    if (t === undefined) return undefined;
    const regs = new TomlFields(file, t, `[registries.${section}]`).stringArray('registries') ?? [];
    return regs.map((r) => parseLocation(file, `[registries.${section}]`, r));
  };
  const search = list('search');
  const insecure = list('insecure') ?? [];
  const block = list('block') ?? [];
  const entries = new Map<string, RegistryEntry>();
  const entry = (location: string): RegistryEntry => {
    let e = entries.get(location);
    if (!e) {
      e = { prefix: location, location, insecure: false, blocked: false, mirrorByDigestOnly: false, mirrors: [], source: file };
      entries.set(location, e);
    }
    return e;
  };
  for (const r of search ?? []) entry(r);
  for (const r of insecure) entry(r).insecure = true;
  for (const r of block) entry(r).blocked = true;
  const fragment: RegistriesConfFragment = { file, registries: [...entries.values()], aliases: {} };
  if (search !== undefined) fragment.unqualifiedSearchRegistries = search.map((r) => parseSearchRegistry(file, r));
  return fragment;
}

/** Parses the text of one registries.conf (or drop-in) file. */
export function parseRegistriesConf(text: string, file: string): RegistriesConfFragment {
  const doc = parseTomlFile(text, file);
  const f = new TomlFields(file, doc);
  const isV2 = V2_KEYS.some((k) => f.has(k));
  const v1 = f.has('registries') ? f.subTable('registries') : undefined;
  if (v1 !== undefined) {
    if (isV2) throw configError(file, 'mixes the V1 [registries.*] tables with V2 settings; convert it to V2 (see containers-registries.conf(5))');
    return parseV1(file, v1);
  }
  const fragment: RegistriesConfFragment = { file, registries: [], aliases: {} };
  const search = f.stringArray('unqualified-search-registries');
  if (search !== undefined) fragment.unqualifiedSearchRegistries = search.map((r) => parseSearchRegistry(file, r));
  const mode = f.string('short-name-mode');
  if (mode !== undefined && mode !== '') {
    if (!SHORT_NAME_MODES.includes(mode)) {
      throw configError(file, `"short-name-mode" must be "enforcing", "permissive" or "disabled", not ${JSON.stringify(mode)}`);
    }
    fragment.shortNameMode = mode as ShortNameMode;
  }
  const helpers = f.stringArray('credential-helpers');
  if (helpers !== undefined) {
    if (helpers.some((h) => h === '')) throw configError(file, '"credential-helpers" must not contain empty names');
    fragment.credentialHelpers = helpers;
  }
  fragment.registries = (f.tableArray('registry') ?? []).map((t, i) => parseRegistry(file, t, i));
  checkRegistryConflicts(file, fragment.registries);
  const aliases = f.subTable('aliases');
  if (aliases !== undefined) fragment.aliases = parseAliases(file, aliases);
  return fragment;
}
