/**
 * Short-name resolution (containers-registries.conf(5) "Short-Name Aliasing"):
 *
 * - A fully qualified name ("quay.io/x/y", "localhost/app") resolves to itself.
 * - A short name ("busybox", "user/app") is looked up without its tag/digest in [aliases]; an alias wins and
 *   the tag/digest is carried over.
 * - Otherwise each unqualified-search registry is a candidate, in order; with none configured, docker.io
 *   (Docker's behaviour: busybox → docker.io/library/busybox).
 *
 * Every candidate gets `:latest` when the name has neither tag nor digest; a digest drops the tag (as Docker).
 * short-name-mode "enforcing" with several candidates needs an interactive choice: without one it is an error.
 */
import { SelkieError } from '../errors.js';
import type { RegistriesConfig } from '../config/registries-conf-types.js';
import {
  DEFAULT_DOMAIN,
  parseDockerReference,
  parseNormalizedReference,
  parseRawReference,
  referenceToString,
  type ImageReference,
} from './reference.js';

export interface ShortNameResolution {
  /** References to try, in order. */
  candidates: ImageReference[];
  /** The name matched an [aliases] entry. */
  fromAlias: boolean;
  /** The file that defined the alias, when fromAlias. */
  aliasSource?: string;
  /** The name was fully qualified already (candidates is just the name itself). */
  qualified: boolean;
}

export interface ResolveShortNameOptions {
  /** The caller can ask the user to pick a candidate (stdin and stdout are terminals). */
  interactive?: boolean;
}

function suffix(ref: ImageReference): string {
  return `${ref.tag !== undefined ? `:${ref.tag}` : ''}${ref.digest !== undefined ? `@${ref.digest}` : ''}`;
}

export function resolveShortName(
  name: string,
  config: RegistriesConfig,
  opts: ResolveShortNameOptions = {},
): ShortNameResolution {
  parseNormalizedReference(name); // Docker's validation and messages (uppercase, 64-hex IDs, ...)
  const raw = parseRawReference(name);
  if (raw.domain !== '') {
    return { candidates: [parseDockerReference(name)], fromAlias: false, qualified: true };
  }
  const alias = config.aliases[raw.path];
  if (alias) {
    return {
      candidates: [parseDockerReference(alias.value + suffix(raw))],
      fromAlias: true,
      aliasSource: alias.source,
      qualified: false,
    };
  }
  const registries = config.unqualifiedSearchRegistries.length > 0 ? config.unqualifiedSearchRegistries : [DEFAULT_DOMAIN];
  const candidates = registries.map((registry) => parseDockerReference(`${registry}/${name}`));
  if (config.shortNameMode === 'enforcing' && candidates.length > 1 && !opts.interactive) {
    throw new SelkieError(
      'invalid',
      `short name ${JSON.stringify(name)} did not resolve to an alias and short-name-mode is "enforcing": ` +
        `it could be any of ${candidates.map((c) => referenceToString(c)).join(', ')}`,
      { hint: `use a fully qualified name, or add an alias for ${JSON.stringify(raw.path)} under [aliases] in ${config.mainFile || 'registries.conf'}` },
    );
  }
  return { candidates, fromAlias: false, qualified: false };
}
