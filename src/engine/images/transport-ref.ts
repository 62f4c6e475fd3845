/**
 * Image names with a transport prefix, as containers-transports(5) spells them:
 *
 *   docker://[domain/]path[:tag|@digest]       a registry (short names go to docker.io, like Docker)
 *   oci:PATH[:REFERENCE]                       an OCI layout directory
 *   oci-archive:PATH[:REFERENCE]               a tar of an OCI layout
 *   docker-archive:PATH[:NAME[:TAG]|:@INDEX]   a `docker save` tarball
 *   containers-storage:[STORE-SPEC]REFERENCE   local image storage; STORE-SPEC is `[driver@graphroot+runroot:options]`
 *   dir:PATH                                   a directory of manifest, config and blobs
 *
 * PATH and REFERENCE are split at the first ':' after the transport, so a PATH cannot contain ':'.
 */
import { invalid, type SelkieError } from '../errors.js';
import { parseDockerReference, referenceToString, type ImageReference } from './reference.js';

export const TRANSPORTS = ['docker', 'oci', 'oci-archive', 'docker-archive', 'containers-storage', 'dir'] as const;
export type TransportName = (typeof TRANSPORTS)[number];

export type TransportRef =
  | { transport: 'docker'; reference: ImageReference }
  | { transport: 'oci' | 'oci-archive'; path: string; image?: string }
  | { transport: 'docker-archive'; path: string; reference?: ImageReference; sourceIndex?: number }
  | { transport: 'containers-storage'; store?: string; image: string }
  | { transport: 'dir'; path: string };

/** OCI `org.opencontainers.image.ref.name` grammar (image-spec annotations). */
const OCI_REF_NAME_RE =
  /^[A-Za-z0-9]+(?:(?:[-._:@+]|--)[A-Za-z0-9]+)*(?:\/[A-Za-z0-9]+(?:(?:[-._:@+]|--)[A-Za-z0-9]+)*)*$/;

/** The transport named by `input`'s prefix, or undefined for a plain reference such as "localhost:5000/x". */
export function transportOf(input: string): TransportName | undefined {
  const colon = input.indexOf(':');
  if (colon <= 0) return undefined;
  const prefix = input.slice(0, colon);
  return (TRANSPORTS as readonly string[]).includes(prefix) ? (prefix as TransportName) : undefined;
}

function transportError(input: string, rule: string): SelkieError {
  return invalid(`invalid image name ${JSON.stringify(input)}: ${rule}`);
}

function splitPath(input: string, rest: string, transport: string): { path: string; tail?: string } {
  const colon = rest.indexOf(':');
  const path = colon === -1 ? rest : rest.slice(0, colon);
  if (path === '') throw transportError(input, `${transport}: needs a path, e.g. ${transport}:/tmp/image`);
  return colon === -1 ? { path } : { path, tail: rest.slice(colon + 1) };
}

function parseOciLike(input: string, rest: string, transport: 'oci' | 'oci-archive'): TransportRef {
  const { path, tail } = splitPath(input, rest, transport);
  if (tail === undefined || tail === '') return { transport, path };
  if (!OCI_REF_NAME_RE.test(tail)) {
    throw transportError(input, `${JSON.stringify(tail)} is not a valid OCI reference name (letters, digits and -._:@+/)`);
  }
  return { transport, path, image: tail };
}

function parseDockerArchive(input: string, rest: string): TransportRef {
  const { path, tail } = splitPath(input, rest, 'docker-archive');
  if (tail === undefined || tail === '') return { transport: 'docker-archive', path };
  if (tail.startsWith('@')) {
    const index = tail.slice(1);
    if (!/^[0-9]+$/.test(index)) throw transportError(input, `source index ${JSON.stringify(tail)} must be @ followed by a number`);
    return { transport: 'docker-archive', path, sourceIndex: Number(index) };
  }
  const reference = parseDockerReference(tail);
  if (reference.digest !== undefined) throw transportError(input, 'a docker-archive reference cannot contain a digest');
  return { transport: 'docker-archive', path, reference };
}

function parseContainersStorage(input: string, rest: string): TransportRef {
  let store: string | undefined;
  let image = rest;
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close === -1) throw transportError(input, 'store specification "[" is not closed with "]"');
    store = rest.slice(1, close);
    image = rest.slice(close + 1);
  }
  if (image === '') throw transportError(input, 'containers-storage: needs an image name or ID');
  return store === undefined ? { transport: 'containers-storage', image } : { transport: 'containers-storage', store, image };
}

/** Parses a transport-prefixed image name; throws for a missing or unknown transport. */
export function parseTransportRef(input: string): TransportRef {
  const transport = transportOf(input);
  if (transport === undefined) {
    throw transportError(input, `unknown transport; use one of ${TRANSPORTS.map((t) => `${t}:`).join(', ')}`);
  }
  const rest = input.slice(transport.length + 1);
  switch (transport) {
    case 'docker':
      if (!rest.startsWith('//')) throw transportError(input, 'docker: references must start with docker://');
      {
        const reference = parseDockerReference(rest.slice(2));
        return { transport, reference };
      }
    case 'oci':
    case 'oci-archive':
      return parseOciLike(input, rest, transport);
    case 'docker-archive':
      return parseDockerArchive(input, rest);
    case 'containers-storage':
      return parseContainersStorage(input, rest);
    case 'dir':
      if (rest === '') throw transportError(input, 'dir: needs a path, e.g. dir:/tmp/image');
      return { transport, path: rest };
  }
}

/** The canonical string form of a parsed transport reference. */
export function transportRefToString(ref: TransportRef): string {
  switch (ref.transport) {
    case 'docker':
      return `docker://${referenceToString(ref.reference)}`;
    case 'oci':
    case 'oci-archive':
      return ref.image === undefined ? `${ref.transport}:${ref.path}` : `${ref.transport}:${ref.path}:${ref.image}`;
    case 'docker-archive':
      if (ref.sourceIndex !== undefined) return `docker-archive:${ref.path}:@${ref.sourceIndex}`;
      return ref.reference ? `docker-archive:${ref.path}:${referenceToString(ref.reference)}` : `docker-archive:${ref.path}`;
    case 'containers-storage':
      return ref.store === undefined ? `containers-storage:${ref.image}` : `containers-storage:[${ref.store}]${ref.image}`;
    case 'dir':
      return `dir:${ref.path}`;
  }
}
