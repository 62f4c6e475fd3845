/**
 * The image reference grammar of Docker's distribution/reference, as regular expressions:
 *
 *   reference        := name [ ":" tag ] [ "@" digest ]
 *   name             := [domain '/'] remote-name
 *   domain           := host [':' port]
 *   host             := domain-name | '[' IPv6 ']'
 *   domain-name      := component ('.' component)*      component = [a-zA-Z0-9] | [a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]
 *   remote-name      := path-component ('/' path-component)*
 *   path-component   := [a-z0-9]+ (separator [a-z0-9]+)*   separator = [_.] | __ | -+
 *   tag              := [\w][\w.-]{0,127}
 *   digest           := algorithm ':' hex   algorithm = [A-Za-z][A-Za-z0-9]* ([-_+.][A-Za-z][A-Za-z0-9]*)*   hex = [0-9a-fA-F]{32,}
 *
 * Digests are then checked against the known algorithms (sha256, sha384, sha512): exact length, lowercase hex.
 */

const alphaNumeric = '[a-z0-9]+';
const separator = '(?:[._]|__|[-]+)';
const pathComponent = `${alphaNumeric}(?:${separator}${alphaNumeric})*`;
const remoteName = `${pathComponent}(?:/${pathComponent})*`;

const domainComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const domainName = `${domainComponent}(?:\\.${domainComponent})*`;
const ipv6 = '\\[[a-fA-F0-9:]+\\]';
const domainAndPort = `(?:${domainName}|${ipv6})(?::[0-9]+)?`;

const tag = '[\\w][\\w.-]{0,127}';
const digestAlgorithm = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*';
const digest = `${digestAlgorithm}:[0-9a-fA-F]{32,}`;

/** Groups: 1 name, 2 tag, 3 digest. */
export const REFERENCE_RE = new RegExp(`^((?:${domainAndPort}/)?${remoteName})(?::(${tag}))?(?:@(${digest}))?$`);
export const DOMAIN_RE = new RegExp(`^${domainAndPort}$`);
export const REMOTE_NAME_RE = new RegExp(`^${remoteName}$`);
export const TAG_RE = new RegExp(`^${tag}$`);
/** A bare 64-hex image ID, which Docker refuses as a repository name. */
export const IMAGE_ID_RE = /^[a-f0-9]{64}$/;

/** distribution/reference's NameTotalLengthMax: domain + '/' + path. */
export const NAME_MAX_LENGTH = 255;

const DIGEST_HEX_LENGTH: Record<string, number> = { sha256: 64, sha384: 96, sha512: 128 };
const DIGEST_SYNTAX_RE = new RegExp(`^${digest}$`);

/** Why a digest string is invalid, or undefined when it is a valid sha256/sha384/sha512 digest. */
export function digestProblem(value: string): string | undefined {
  const colon = value.indexOf(':');
  if (colon <= 0 || colon === value.length - 1) return 'invalid digest format (want ALGORITHM:HEX)';
  const algorithm = value.slice(0, colon);
  const hex = value.slice(colon + 1);
  const want = DIGEST_HEX_LENGTH[algorithm];
  if (want === undefined) {
    return DIGEST_SYNTAX_RE.test(value)
      ? `unsupported digest algorithm "${algorithm}" (use sha256, sha384 or sha512)`
      : 'invalid digest format (want ALGORITHM:HEX)';
  }
  if (hex.length !== want) return `invalid checksum digest length (${algorithm} needs ${want} hex characters, got ${hex.length})`;
  if (!/^[a-f0-9]+$/.test(hex)) return 'invalid checksum digest format (lowercase hex only)';
  return undefined;
}

export function isValidDigest(value: string): boolean {
  return digestProblem(value) === undefined;
}

export function isValidTag(value: string): boolean {
  return TAG_RE.test(value);
}
