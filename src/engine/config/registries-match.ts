/**
 * Applying registries.conf to an image reference: which [[registry]] table applies (longest prefix match,
 * wildcard `*.example.com` prefixes included), where to pull from (mirrors, then the primary location, with
 * the prefix rewritten to each location), and whether a registry is insecure or blocked.
 */
import { SelkieError, isSelkieError } from '../errors.js';
import { parseNormalizedReference, referenceToString, type ImageReference } from '../images/reference.js';
import type { RegistriesConfig, RegistryEntry } from './registries-conf-types.js';

export interface PullSource {
  /** The registry location pulled from (mirror or primary), e.g. "mirror.local/dockerhub". */
  location: string;
  insecure: boolean;
  mirror: boolean;
  /** The reference rewritten to that location: what to actually fetch. */
  reference: ImageReference;
}

function refString(ref: ImageReference | string): string {
  return typeof ref === 'string' ? ref : referenceToString(ref);
}

/**
 * Length of `ref` matched by `prefix`, or -1. A plain prefix must be followed by the end, '/', ':' or '@'
 * (so "example.com" also matches "example.com:5000/x", as in containers/image); a `*.example.com` prefix
 * matches any subdomain host and returns the length of the matched host.
 */
export function prefixMatchLength(ref: string, prefix: string): number {
  if (prefix.startsWith('*.')) {
    const slash = ref.indexOf('/');
    const domain = slash === -1 ? ref : ref.slice(0, slash);
    const host = domain.replace(/:[0-9]*$/, '');
    const suffix = prefix.slice(1);
    return host.length > suffix.length && host.endsWith(suffix) ? host.length : -1;
  }
  if (ref === prefix) return prefix.length;
  if (ref.startsWith(prefix) && '/:@'.includes(ref[prefix.length]!)) return prefix.length;
  return -1;
}

/**
 * The [[registry]] table for `ref` (an ImageReference, or a raw string such as a host "localhost:5000" or a
 * fully qualified name). The longest match wins; on a tie, a plain prefix beats a wildcard, then file order.
 */
export function findRegistry(config: RegistriesConfig, ref: ImageReference | string): RegistryEntry | undefined {
  const s = refString(ref);
  let best: RegistryEntry | undefined;
  let bestLength = -1;
  for (const entry of config.registries) {
    const length = prefixMatchLength(s, entry.prefix);
    if (length < 0) continue;
    const wins =
      length > bestLength || (length === bestLength && best?.prefix.startsWith('*.') === true && !entry.prefix.startsWith('*.'));
    if (wins) {
      best = entry;
      bestLength = length;
    }
  }
  return best;
}

export function isInsecure(config: RegistriesConfig, ref: ImageReference | string): boolean {
  return findRegistry(config, ref)?.insecure ?? false;
}

export function isBlocked(config: RegistriesConfig, ref: ImageReference | string): boolean {
  return findRegistry(config, ref)?.blocked ?? false;
}

function rewrite(entry: RegistryEntry, ref: ImageReference, location: string): ImageReference {
  if (location === '') return ref;
  const s = referenceToString(ref);
  const length = prefixMatchLength(s, entry.prefix);
  const rewritten = location + s.slice(length);
  try {
    return parseNormalizedReference(rewritten);
  } catch (e) {
    throw new SelkieError(
      'invalid',
      `${entry.source}: [[registry]] ${JSON.stringify(entry.prefix)} rewrites ${JSON.stringify(s)} to the invalid ${JSON.stringify(rewritten)}`,
      { hint: `fix "location" in that file (${isSelkieError(e) ? e.message : String(e)})` },
    );
  }
}

/**
 * Where to pull `ref` (a normalized, fully qualified reference) from, in order: the mirrors that apply
 * (digest-only mirrors for by-digest pulls, tag-only mirrors for by-tag pulls, none for by-tag pulls when
 * mirror-by-digest-only is set), then the primary location. Throws when the registry is blocked.
 */
export function pullSources(config: RegistriesConfig, ref: ImageReference): PullSource[] {
  const entry = findRegistry(config, ref);
  if (!entry) return [{ location: ref.domain, insecure: false, mirror: false, reference: ref }];
  if (entry.blocked) {
    throw new SelkieError(
      'registry',
      `registry ${JSON.stringify(entry.prefix)} is blocked in ${entry.source}: refusing to pull ${JSON.stringify(referenceToString(ref))}`,
      { hint: 'remove "blocked = true" from that [[registry]] table to allow it' },
    );
  }
  const byDigest = ref.digest !== undefined;
  const sources: PullSource[] = [];
  if (byDigest || !entry.mirrorByDigestOnly) {
    for (const m of entry.mirrors) {
      if (m.pullFromMirror === (byDigest ? 'tag-only' : 'digest-only')) continue;
      sources.push({ location: m.location, insecure: m.insecure, mirror: true, reference: rewrite(entry, ref, m.location) });
    }
  }
  sources.push({
    location: entry.location || ref.domain,
    insecure: entry.insecure,
    mirror: false,
    reference: rewrite(entry, ref, entry.location),
  });
  return sources;
}
