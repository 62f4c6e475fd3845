/**
 * What a pull of a user's name tries, in order: the short-name candidates (aliases, then the
 * unqualified-search registries), and for each the registries.conf locations (mirrors, then the primary).
 * `localhost/NAME` names are local images: never pulled.
 */
import { notFound } from '../errors.js';
import { pullSources, type PullSource, type RegistriesConfig } from '../config/registries-conf.js';
import { parseRawReference, referenceToString, type ImageReference } from './reference.js';
import { resolveShortName } from './short-names.js';

export interface PullCandidate {
  /** The name the image gets locally (fully qualified). */
  reference: ImageReference;
  sources: PullSource[];
}

export function isLocalOnly(input: string): boolean {
  try {
    return parseRawReference(input).domain === 'localhost';
  } catch {
    return false;
  }
}

export function pullCandidates(input: string, conf: RegistriesConfig): PullCandidate[] {
  if (isLocalOnly(input)) {
    throw notFound('image', input, 'localhost/ names are local images (from import, tag or build) and cannot be pulled');
  }
  const resolution = resolveShortName(input, conf);
  return resolution.candidates.map((reference) => ({ reference, sources: pullSources(conf, reference) }));
}

export const describeCandidate = (c: PullCandidate): string => referenceToString(c.reference);
