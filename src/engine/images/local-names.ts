/**
 * How a name typed by a user maps to names stored locally. Stored names are fully qualified.
 * A short name is looked up as localhost/NAME, then under each unqualified-search registry, then
 * (as Podman does) as any stored repository ending in /NAME.
 */
import { isShortName, parseNormalizedReference, parseRawReference, referenceToString, type ImageReference } from './reference.js';

const withLatest = (ref: ImageReference): ImageReference => ({ ...ref, tag: ref.tag ?? (ref.digest ? undefined : 'latest') });

/** The fully qualified name a new local image gets: short names live under localhost/ (Podman's rule). */
export function qualifyForStorage(input: string): string {
  const raw = parseRawReference(input);
  const ref = raw.domain === '' ? { ...raw, domain: 'localhost' } : parseNormalizedReference(input);
  return referenceToString(withLatest(ref));
}

/** Candidate stored names for a lookup, most specific first; `suffix` is for the last-resort match. */
export function lookupCandidates(input: string, searchRegistries: readonly string[] | (() => readonly string[])): { names: string[]; suffix?: string } {
  let raw: ImageReference;
  try {
    raw = parseRawReference(input);
  } catch {
    return { names: [] }; // not a name: may still be an ID
  }
  if (!isShortName(raw)) {
    try {
      return { names: [referenceToString(withLatest(parseNormalizedReference(input)))] };
    } catch {
      return { names: [] };
    }
  }
  const ref = withLatest(raw);
  const names = [referenceToString({ ...ref, domain: 'localhost' })];
  // Only a short name needs the search registries (and so registries.conf).
  for (const r of typeof searchRegistries === 'function' ? searchRegistries() : searchRegistries) {
    const path = r === 'docker.io' && !ref.path.includes('/') ? `library/${ref.path}` : ref.path;
    names.push(referenceToString({ ...ref, domain: r, path }));
  }
  return { names, suffix: ref.tag ? `${ref.path}:${ref.tag}` : undefined };
}
