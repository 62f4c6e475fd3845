/**
 * `image copy SRC DST` between registries (docker://) and OCI layout directories (oci:PATH[:TAG]),
 * without local storage: the manifest is copied byte for byte (so its digest stays; a Docker schema2
 * manifest written to an OCI layout becomes an OCI manifest), and each blob
 * is skipped when the destination has it, mounted when both are repositories of one registry, or
 * streamed from the source (verified against its digest on the way) into the destination.
 * A multi-platform source is resolved to one platform's manifest first.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { invalid, SelkieError } from '../errors.js';
import type { RegistriesConfig } from '../config/registries-conf.js';
import type { ImageCopyOptions, RegistryAccessOptions } from '../registry/pull-types.js';
import { registryClient } from '../registry/registry-access.js';
import type { RegistryClient } from '../registry/registry-client.js';
import { BlobUploader } from '../registry/blob-upload.js';
import { VerifyingStream, digestOf, parseDigest, verifyBuffer } from '../registry/digest.js';
import { manifestKind, MediaType, MANIFEST_SIZE_LIMIT } from '../registry/media-types.js';
import { wantedPlatform } from '../registry/platform.js';
import { fetchImageManifest, type ImageManifest } from './pull-manifest.js';
import { parseTransportRef } from './transport-ref.js';
import { referenceName, type ImageReference } from './reference.js';
import { randomId } from '../util/ids.js';

interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
}

interface CopySource {
  raw: Buffer;
  mediaType: string;
  digest: string;
  blobs: Descriptor[];
  /** Registry host and repository, when the source is a registry (for mounts). */
  registry?: { host: string; repo: string };
  open(d: Descriptor): Promise<Readable>;
}

interface CopyDest {
  registry?: { host: string; repo: string };
  has(d: Descriptor): Promise<boolean>;
  mount(d: Descriptor, fromRepo: string): Promise<boolean>;
  put(d: Descriptor, open: () => Promise<Readable>): Promise<void>;
  putManifest(raw: Buffer, mediaType: string, digest: string): Promise<void>;
}

const REF_NAME = 'org.opencontainers.image.ref.name';

/** Copies SRC to DST; returns the manifest digest. */
export async function copyImage(src: string, dst: string, opts: ImageCopyOptions, registries: RegistriesConfig, log?: (m: string) => void): Promise<string> {
  const dest = openDest(dst, opts.dest ?? {}, registries, log);
  const source = await openSource(src, opts, registries, log);
  // An OCI layout lists OCI manifests only (containers/image skips others): convert Docker schema2.
  const manifest = !dest.registry && source.mediaType === MediaType.dockerManifest ? dockerToOci(source.raw) : source;
  const progress = opts.onProgress;
  progress?.({ kind: 'signatures' });
  const [config, ...layers] = source.blobs;
  const mountable = source.registry && dest.registry && source.registry.host === dest.registry.host && source.registry.repo !== dest.registry.repo;
  for (const d of [...layers, config!]) {
    let state: 'done' | 'skipped' | 'mounted' = 'done';
    if (await dest.has(d)) state = 'skipped';
    else if (mountable && (await dest.mount(d, source.registry!.repo))) state = 'mounted';
    else await dest.put(d, () => source.open(d));
    if (d === config) progress?.({ kind: 'config', digest: d.digest });
    else progress?.({ kind: 'blob', digest: d.digest, state });
  }
  progress?.({ kind: 'writing-manifest' });
  await dest.putManifest(manifest.raw, manifest.mediaType, manifest.digest);
  return manifest.digest;
}

const TO_OCI: Record<string, string> = {
  [MediaType.dockerConfig]: MediaType.ociConfig,
  'application/vnd.docker.image.rootfs.diff.tar.gzip': 'application/vnd.oci.image.layer.v1.tar+gzip',
  'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip': 'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip',
};

/** A Docker schema2 manifest as an OCI manifest: same blobs, OCI media types (a new digest). */
function dockerToOci(raw: Buffer): { raw: Buffer; mediaType: string; digest: string } {
  const m = JSON.parse(raw.toString('utf8')) as ImageManifest;
  const conv = (d: Descriptor): Descriptor => ({ ...d, mediaType: TO_OCI[d.mediaType] ?? d.mediaType });
  const out = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociManifest, config: conv(m.config), layers: m.layers.map(conv) }));
  return { raw: out, mediaType: MediaType.ociManifest, digest: digestOf(out) };
}

function registryRef(input: string): ImageReference | undefined {
  const t = parseTransportRef(input);
  return t.transport === 'docker' ? t.reference : undefined;
}

function ociRef(input: string): { dir: string; tag?: string } | undefined {
  const t = parseTransportRef(input);
  return t.transport === 'oci' ? { dir: t.path, ...(t.image ? { tag: t.image } : {}) } : undefined;
}

function unsupported(input: string): SelkieError {
  return invalid(`unsupported image location ${JSON.stringify(input)}`, 'use docker://HOST/REPOSITORY[:TAG] or oci:PATH[:TAG]');
}

function client(ref: ImageReference, access: RegistryAccessOptions, registries: RegistriesConfig, log?: (m: string) => void): RegistryClient {
  return registryClient({ domain: ref.domain, credentialKey: referenceName(ref) }, access, registries, log);
}

function blobsOf(raw: Buffer, what: string): Descriptor[] {
  const m = JSON.parse(raw.toString('utf8')) as ImageManifest;
  if (!m.config?.digest || !Array.isArray(m.layers)) throw new SelkieError('registry', `manifest of ${what} has no config or layers`, { hint: 'the image is malformed' });
  return [m.config, ...m.layers].map((d) => ({ mediaType: d.mediaType, digest: d.digest, size: d.size }));
}

async function openSource(input: string, opts: ImageCopyOptions, registries: RegistriesConfig, log?: (m: string) => void): Promise<CopySource> {
  const ref = registryRef(input);
  if (ref) {
    const c = client(ref, opts.src ?? {}, registries, log);
    const m = await fetchImageManifest(c, ref.path, ref.digest ?? ref.tag ?? 'latest', wantedPlatform({ platform: opts.platform }));
    return {
      raw: m.raw,
      mediaType: m.mediaType,
      digest: m.digest,
      blobs: blobsOf(m.raw, input),
      registry: { host: c.host, repo: ref.path },
      async open(d) {
        const what = `blob ${d.digest} of ${c.host}/${ref.path}`;
        const { res } = await c.openBlob(ref.path, d.digest, 0, what);
        const verify = new VerifyingStream(d.digest, what, d.size);
        res.body.on('error', (e) => verify.destroy(e));
        return res.body.pipe(verify);
      },
    };
  }
  const oci = ociRef(input);
  if (!oci) throw unsupported(input);
  const blob = (digest: string) => path.join(oci.dir, 'blobs', parseDigest(digest).algorithm, parseDigest(digest).hex);
  let index: { manifests?: (Descriptor & { annotations?: Record<string, string> })[] };
  try {
    index = JSON.parse(fs.readFileSync(path.join(oci.dir, 'index.json'), 'utf8')) as typeof index;
  } catch (e) {
    throw new SelkieError('not-found', `${input}: cannot read the OCI layout's index.json: ${(e as Error).message}`, { hint: 'check the path' });
  }
  const entries = index.manifests ?? [];
  const matches = oci.tag !== undefined ? entries.filter((e) => e.annotations?.[REF_NAME] === oci.tag) : entries;
  if (matches.length !== 1) {
    throw new SelkieError('not-found', oci.tag !== undefined ? `${input}: no image tagged ${JSON.stringify(oci.tag)} in the layout` : `${input}: the layout holds ${matches.length} images`, { hint: 'name one: oci:PATH:TAG' });
  }
  const entry = matches[0]!;
  if (manifestKind(entry.mediaType, input) !== 'manifest') throw invalid(`${input} is an image index`, 'copy one platform from a registry, or use skopeo copy --all');
  if (entry.size > MANIFEST_SIZE_LIMIT) throw new SelkieError('registry', `${input}: the manifest is too large`);
  const raw = fs.readFileSync(blob(entry.digest));
  verifyBuffer(raw, entry.digest, `manifest of ${input}`);
  return {
    raw,
    mediaType: entry.mediaType,
    digest: entry.digest,
    blobs: blobsOf(raw, input),
    async open(d) {
      const verify = new VerifyingStream(d.digest, `blob ${d.digest} of ${input}`, d.size);
      const f = fs.createReadStream(blob(d.digest));
      f.on('error', (e) => verify.destroy(new SelkieError('not-found', `${input}: blob ${d.digest} is missing: ${e.message}`)));
      return f.pipe(verify);
    },
  };
}

function openDest(input: string, access: RegistryAccessOptions, registries: RegistriesConfig, log?: (m: string) => void): CopyDest {
  const ref = registryRef(input);
  if (ref) {
    if (ref.tag === undefined) throw invalid(`cannot copy to a digest reference ${JSON.stringify(input)}`, 'copy to a tag: docker://HOST/REPOSITORY:TAG');
    const c = client(ref, access, registries, log);
    return {
      registry: { host: c.host, repo: ref.path },
      has: (d) => new BlobUploader(c, ref.path).exists(d.digest),
      mount: (d, from) => new BlobUploader(c, ref.path, [from]).mount(d.digest, from),
      put: (d, open) =>
        new BlobUploader(c, ref.path).upload(d.digest, d.size, () => {
          // The upload's body opens synchronously; the source stream follows once it is open.
          const pt = new PassThrough();
          open().then(
            (r) => {
              r.on('error', (e) => pt.destroy(e));
              r.pipe(pt);
            },
            (e: Error) => pt.destroy(e),
          );
          return pt;
        }),
      putManifest: async (raw, mediaType, digest) => {
        await new BlobUploader(c, ref.path).putManifest(ref.tag!, raw, mediaType, digest);
      },
    };
  }
  const oci = ociRef(input);
  if (!oci) throw unsupported(input);
  const dir = oci.dir;
  const blob = (digest: string) => path.join(dir, 'blobs', parseDigest(digest).algorithm, parseDigest(digest).hex);
  const writeAtomic = (file: string, data: Buffer | string) => {
    const tmp = `${file}.${process.pid}.${randomId().slice(0, 8)}.tmp`;
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, file);
  };
  const prepare = () => {
    fs.mkdirSync(path.join(dir, 'blobs', 'sha256'), { recursive: true });
    if (!fs.existsSync(path.join(dir, 'oci-layout'))) writeAtomic(path.join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  };
  return {
    async has(d) {
      try {
        return fs.statSync(blob(d.digest)).size === d.size;
      } catch {
        return false;
      }
    },
    mount: async () => false,
    async put(d, open) {
      prepare();
      fs.mkdirSync(path.dirname(blob(d.digest)), { recursive: true });
      const tmp = `${blob(d.digest)}.${process.pid}.tmp`;
      try {
        await pipeline(await open(), fs.createWriteStream(tmp));
        fs.renameSync(tmp, blob(d.digest));
      } finally {
        fs.rmSync(tmp, { force: true });
      }
    },
    async putManifest(raw, mediaType, digest) {
      prepare();
      if (digestOf(raw, parseDigest(digest).algorithm) !== digest) throw new SelkieError('internal', `manifest digest mismatch writing ${input}`);
      writeAtomic(blob(digest), raw);
      const file = path.join(dir, 'index.json');
      let index: { schemaVersion: number; mediaType?: string; manifests: { annotations?: Record<string, string> }[] } = {
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.index.v1+json',
        manifests: [],
      };
      if (fs.existsSync(file)) index = JSON.parse(fs.readFileSync(file, 'utf8')) as typeof index;
      index.manifests = (index.manifests ?? []).filter((m) => oci.tag === undefined || m.annotations?.[REF_NAME] !== oci.tag);
      index.manifests.push({ mediaType, digest, size: raw.length, ...(oci.tag !== undefined ? { annotations: { [REF_NAME]: oci.tag } } : {}) } as (typeof index.manifests)[number]);
      writeAtomic(file, JSON.stringify(index));
    },
  };
}
