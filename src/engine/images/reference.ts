/**
 * Image references as Docker's distribution/reference parses them: `[domain[:port]/]path[:tag][@digest]`.
 *
 * - The first path component is a registry domain when it contains '.' or ':', is "localhost", or has an
 *   uppercase letter (Docker's rule); otherwise the name is on Docker Hub.
 * - Normalization: no domain → docker.io, index.docker.io → docker.io, and a single-component Docker Hub
 *   path gets "library/" (busybox → docker.io/library/busybox).
 * - The familiar form is what `docker images` shows: docker.io/library/busybox → busybox.
 *
 * Transport prefixes (docker://, oci:, ...) are not part of a reference; see transport-ref.ts.
 */
import { invalid, type SelkieError } from '../errors.js';
import {
  DOMAIN_RE,
  IMAGE_ID_RE,
  NAME_MAX_LENGTH,
  REFERENCE_RE,
  REMOTE_NAME_RE,
  TAG_RE,
  digestProblem,
} from './reference-grammar.js';

export interface ImageReference {
  /** Registry host[:port]; '' only for an unnormalized short name (see parseRawReference). */
  domain: string;
  /** Repository path inside the registry, e.g. "library/busybox". */
  path: string;
  tag?: string;
  /** "algorithm:hex", e.g. "sha256:…". */
  digest?: string;
}

export const DEFAULT_DOMAIN = 'docker.io';
export const LEGACY_DEFAULT_DOMAIN = 'index.docker.io';
export const OFFICIAL_REPO_PREFIX = 'library/';
export const DEFAULT_TAG = 'latest';

function referenceError(rule: string, input: string): SelkieError {
  return invalid(`invalid reference format: ${rule}: ${JSON.stringify(input)}`);
}

function looksLikeDomain(component: string): boolean {
  return component.includes('.') || component.includes(':') || component === 'localhost' || component.toLowerCase() !== component;
}

/** Splits off the registry domain by Docker's rule; domain is '' when the name has none. */
export function splitDomain(name: string): { domain: string; remainder: string } {
  const slash = name.indexOf('/');
  if (slash === -1 || !looksLikeDomain(name.slice(0, slash))) return { domain: '', remainder: name };
  return { domain: name.slice(0, slash), remainder: name.slice(slash + 1) };
}

/** Explains why `s` (a whole reference) does not match the grammar. */
function grammarRule(s: string): string {
  const at = s.indexOf('@');
  const namePart = at === -1 ? s : s.slice(0, at);
  if (at !== -1) {
    const problem = digestProblem(s.slice(at + 1));
    if (problem) return problem;
  }
  const lastSlash = namePart.lastIndexOf('/');
  const colon = namePart.indexOf(':', lastSlash + 1);
  const name = colon === -1 ? namePart : namePart.slice(0, colon);
  if (colon !== -1) {
    const tag = namePart.slice(colon + 1);
    if (tag.length > 128) return 'tag must be at most 128 characters';
    if (!TAG_RE.test(tag)) return "tag must be letters, digits, '_', '.' or '-' and must not start with '.' or '-'";
  }
  if (name === '' || name.startsWith('/') || name.endsWith('/') || name.includes('//')) {
    return 'repository name must have at least one component';
  }
  const { domain, remainder } = splitDomain(name);
  if (domain && !DOMAIN_RE.test(domain)) return `registry domain ${JSON.stringify(domain)} is not a valid host[:port]`;
  if (!REMOTE_NAME_RE.test(remainder)) {
    return "repository name components must be lowercase letters and digits, separated by '.', '_', '__' or '-'";
  }
  return 'unrecognized reference syntax';
}

/** distribution/reference Parse: grammar, uppercase, length and digest checks. `shown` is what errors quote. */
function matchReference(s: string, shown: string): { name: string; tag?: string; digest?: string } {
  if (s === '') throw referenceError('repository name must have at least one component', shown);
  const m = REFERENCE_RE.exec(s);
  if (!m) {
    if (REFERENCE_RE.test(s.toLowerCase())) throw referenceError('repository name must be lowercase', shown);
    throw referenceError(grammarRule(s), shown);
  }
  const [, name, tag, digest] = m;
  if (name!.length > NAME_MAX_LENGTH) {
    throw referenceError(`repository name must not be more than ${NAME_MAX_LENGTH} characters`, shown);
  }
  if (digest !== undefined) {
    const problem = digestProblem(digest);
    if (problem) throw referenceError(problem, shown);
  }
  return { name: name!, tag, digest };
}

function build(domain: string, path: string, tag?: string, digest?: string): ImageReference {
  const ref: ImageReference = { domain, path };
  if (tag !== undefined) ref.tag = tag;
  if (digest !== undefined) ref.digest = digest;
  return ref;
}

/**
 * Parses without normalizing (distribution/reference Parse plus Docker's domain rule): `busybox` gives
 * domain '' and path "busybox". Use it to see what the user typed, e.g. for short-name aliases.
 */
export function parseRawReference(input: string): ImageReference {
  const { name, tag, digest } = matchReference(input, input);
  const { domain, remainder } = splitDomain(name);
  return build(domain, remainder, tag, digest);
}

/** Docker's ParseNormalizedNamed: `busybox` → docker.io/library/busybox (no default tag added). */
export function parseNormalizedReference(input: string): ImageReference {
  if (IMAGE_ID_RE.test(input)) {
    throw referenceError('a 64-character hexadecimal string is an image ID, not a repository name', input);
  }
  const split = splitDomain(input);
  let domain = split.domain || DEFAULT_DOMAIN;
  let remainder = split.remainder;
  if (domain === LEGACY_DEFAULT_DOMAIN) domain = DEFAULT_DOMAIN;
  if (domain === DEFAULT_DOMAIN && !remainder.includes('/')) remainder = OFFICIAL_REPO_PREFIX + remainder;
  const colon = remainder.indexOf(':');
  const remote = colon === -1 ? remainder : remainder.slice(0, colon);
  if (remote.toLowerCase() !== remote) throw referenceError('repository name must be lowercase', input);
  const { name, tag, digest } = matchReference(`${domain}/${remainder}`, input);
  return build(domain, name.slice(domain.length + 1), tag, digest);
}

/**
 * Docker's ParseDockerRef: normalized, `:latest` when there is neither tag nor digest, and the tag dropped
 * when a digest is given (the digest is what gets pulled).
 */
export function parseDockerReference(input: string): ImageReference {
  const ref = parseNormalizedReference(input);
  if (ref.digest !== undefined) return build(ref.domain, ref.path, undefined, ref.digest);
  return withDefaultTag(ref);
}

/** Adds `:latest` to a reference that has neither tag nor digest. */
export function withDefaultTag(ref: ImageReference): ImageReference {
  if (ref.tag !== undefined || ref.digest !== undefined) return ref;
  return build(ref.domain, ref.path, DEFAULT_TAG);
}

export function withTag(ref: ImageReference, tag: string): ImageReference {
  if (!TAG_RE.test(tag)) {
    throw invalid(
      `invalid tag ${JSON.stringify(tag)}: a tag is at most 128 letters, digits, '_', '.' or '-', not starting with '.' or '-'`,
    );
  }
  return build(ref.domain, ref.path, tag, ref.digest);
}

export function withDigest(ref: ImageReference, digest: string): ImageReference {
  const problem = digestProblem(digest);
  if (problem) throw invalid(`invalid digest ${JSON.stringify(digest)}: ${problem}`);
  return build(ref.domain, ref.path, ref.tag, digest);
}

/** The repository without tag or digest: "docker.io/library/busybox". */
export function referenceName(ref: ImageReference): string {
  return ref.domain ? `${ref.domain}/${ref.path}` : ref.path;
}

/** The full reference: "docker.io/library/busybox:latest", "quay.io/x/y@sha256:…". */
export function referenceToString(ref: ImageReference): string {
  let s = referenceName(ref);
  if (ref.tag !== undefined) s += `:${ref.tag}`;
  if (ref.digest !== undefined) s += `@${ref.digest}`;
  return s;
}

/** The repository as Docker shows it: docker.io/library/busybox → busybox, docker.io/user/app → user/app. */
export function familiarName(ref: ImageReference): string {
  if (ref.domain !== DEFAULT_DOMAIN) return referenceName(ref);
  if (ref.path.startsWith(OFFICIAL_REPO_PREFIX) && !ref.path.slice(OFFICIAL_REPO_PREFIX.length).includes('/')) {
    return ref.path.slice(OFFICIAL_REPO_PREFIX.length);
  }
  return ref.path;
}

/** Familiar name plus tag and digest: "busybox:latest". */
export function familiarString(ref: ImageReference): string {
  let s = familiarName(ref);
  if (ref.tag !== undefined) s += `:${ref.tag}`;
  if (ref.digest !== undefined) s += `@${ref.digest}`;
  return s;
}

/** True when the user gave no registry domain ("busybox", "user/app"); "localhost/app" is qualified. */
export function isShortName(ref: string | ImageReference): boolean {
  if (typeof ref !== 'string') return ref.domain === '';
  return splitDomain(ref).domain === '';
}

export function referencesEqual(a: ImageReference, b: ImageReference): boolean {
  return a.domain === b.domain && a.path === b.path && a.tag === b.tag && a.digest === b.digest;
}

export { referenceName as name, referenceToString as toString };
