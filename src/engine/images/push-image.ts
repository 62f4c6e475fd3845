/**
 * `push`: a local image → a registry. Each layer's blob is the gzip of its exact uncompressed tar
 * (layerTar, checked against the diffID), spooled to a temp file so its digest and size are known
 * before the upload. A blob the destination has (HEAD) is skipped; a layer pulled from another
 * repository of the same registry is mounted from there instead of uploaded. The config and the
 * manifest (OCI by default, Docker schema2 with format v2s2) follow; the manifest digest becomes a
 * repoDigest of the image.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { invalid, isSelkieError, SelkieError } from '../errors.js';
import type { RegistriesConfig } from '../config/registries-conf.js';
import type { StorageDriver } from '../storage/storage-driver.js';
import type { ImageRecord, ImageStore, LayerRecord } from './image-store.js';
import type { PushOptions } from '../registry/pull-types.js';
import { registryClient } from '../registry/registry-access.js';
import { BlobUploader } from '../registry/blob-upload.js';
import { digestOf } from '../registry/digest.js';
import { parseDockerReference, parseNormalizedReference, referenceName, referenceToString, type ImageReference } from './reference.js';
import { lookupCandidates } from './local-names.js';
import { exportLayer } from './layer-export.js';
import { chainIds, randomId } from '../util/ids.js';
import { zlibModule } from '../util/lazy-builtin.js';

export interface PushDeps {
  storage: StorageDriver;
  store: ImageStore;
  /** GRAPHROOT/tmp: compressed layers are spooled below it. */
  tmpRoot: string;
  registries: RegistriesConfig;
  searchRegistries: readonly string[];
  log?: (msg: string) => void;
}

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
}

export const PUSH_MEDIA = {
  oci: { manifest: 'application/vnd.oci.image.manifest.v1+json', config: 'application/vnd.oci.image.config.v1+json', layer: 'application/vnd.oci.image.layer.v1.tar+gzip' },
  v2s2: {
    manifest: 'application/vnd.docker.distribution.manifest.v2+json',
    config: 'application/vnd.docker.container.image.v1+json',
    layer: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  },
} as const;

/** The registry reference a push goes to: DESTINATION (docker:// accepted), else the name the image was asked by. */
export function pushDestination(image: ImageRecord, source: string, destination: string | undefined, searchRegistries: readonly string[]): ImageReference {
  let name = destination;
  if (name !== undefined) {
    if (name.startsWith('docker://')) name = name.slice('docker://'.length);
    else if (/^(oci|oci-archive|docker-archive|dir|containers-storage|docker-daemon):/.test(name)) throw invalid(`unsupported destination ${JSON.stringify(destination)}: push writes to a registry`, 'use [docker://]HOST/REPOSITORY[:TAG], or selkie image copy for other transports');
  } else {
    const candidates = lookupCandidates(source, searchRegistries).names;
    name = image.names.find((n) => candidates.includes(n)) ?? (image.names.length === 1 && !image.id.startsWith(source.replace(/^sha256:/, '')) ? image.names[0] : undefined);
    if (name === undefined) throw invalid(`cannot tell where to push ${JSON.stringify(source)}`, 'give a DESTINATION: selkie push IMAGE HOST/REPOSITORY[:TAG]');
  }
  const ref = parseDockerReference(name);
  if (ref.tag === undefined) throw invalid(`cannot push to a digest reference ${JSON.stringify(name)}`, 'push to a tag: HOST/REPOSITORY:TAG');
  if (ref.domain === 'localhost') throw invalid(`${referenceToString(ref)} is a local name, not a registry`, 'give a DESTINATION on a registry: selkie push IMAGE HOST[:PORT]/REPOSITORY[:TAG]');
  return ref;
}

/** Pushes `image` and returns the manifest digest. */
export async function pushImage(image: ImageRecord, dest: ImageReference, opts: PushOptions, deps: PushDeps): Promise<string> {
  const format = opts.format ?? 'oci';
  if (format !== 'oci' && format !== 'v2s2') throw invalid(`unknown manifest format ${JSON.stringify(format)}`, 'use --format oci or --format v2s2');
  const media = PUSH_MEDIA[format];
  const progress = opts.onProgress;
  const layers = chainIds(image.config.rootfs.diff_ids).map((c) => {
    const l = deps.store.getLayer(c.replace(/^sha256:/, ''));
    if (!l) throw new SelkieError('state', `a layer of image ${image.id.slice(0, 12)} is missing from the local storage`, { hint: 'remove the image and pull it again' });
    return l;
  });
  const mountFrom = [
    ...new Set(
      image.repoDigests
        .flatMap((d) => {
          try {
            return [parseNormalizedReference(d)];
          } catch {
            return [];
          }
        })
        .filter((r) => r.domain === dest.domain && r.path !== dest.path)
        .map((r) => r.path),
    ),
  ];
  const client = registryClient({ domain: dest.domain, credentialKey: referenceName(dest) }, opts, deps.registries, deps.log);
  const up = new BlobUploader(client, dest.path, mountFrom);
  const reusable = gzipBlobsOf(image, layers);
  const tmpDir = makeTmpDir(deps.tmpRoot);
  try {
    progress?.({ kind: 'signatures' });
    const pushLayer = async (l: LayerRecord, i: number): Promise<Descriptor> => {
      const known = reusable[i];
      if (known) {
        if (await up.exists(known.digest)) {
          progress?.({ kind: 'blob', digest: known.digest, state: 'skipped' });
          return { mediaType: media.layer, digest: known.digest, size: known.size };
        }
        for (const from of mountFrom) {
          if (await up.mount(known.digest, from)) {
            progress?.({ kind: 'blob', digest: known.digest, state: 'mounted' });
            return { mediaType: media.layer, digest: known.digest, size: known.size };
          }
        }
      }
      const spooled = await spoolCompressed(deps.storage, l, path.join(tmpDir, `layer-${i}`));
      try {
        if (await up.exists(spooled.digest)) {
          progress?.({ kind: 'blob', digest: spooled.digest, state: 'skipped' });
        } else {
          await up.upload(spooled.digest, spooled.size, () => fs.createReadStream(spooled.file), {
            onBytes: (sent) => progress?.({ kind: 'blob', digest: spooled.digest, state: 'copying', sent, total: spooled.size }),
          });
          progress?.({ kind: 'blob', digest: spooled.digest, state: 'done' });
        }
        return { mediaType: media.layer, digest: spooled.digest, size: spooled.size };
      } finally {
        fs.rmSync(spooled.file, { force: true });
      }
    };
    const descriptors = await mapLimit(layers, 3, pushLayer);

    const config = Buffer.from(image.configRaw);
    const configDigest = `sha256:${image.id}`;
    if (!(await up.exists(configDigest))) await up.upload(configDigest, config.length, () => config);
    progress?.({ kind: 'config', digest: configDigest });

    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: media.manifest,
        config: { mediaType: media.config, digest: configDigest, size: config.length },
        layers: descriptors,
      }),
    );
    const digest = digestOf(manifest);
    progress?.({ kind: 'writing-manifest' });
    await up.putManifest(dest.tag!, manifest, media.manifest, digest);

    const { names: _n, repoDigests: _d, ...rec } = image;
    deps.store.save(rec, { repoDigests: [`${referenceName(dest)}@${digest}`] });
    return digest;
  } catch (e) {
    if (isSelkieError(e) && e.kind === 'auth' && !client.auth.hasCredentials) {
      throw new SelkieError('auth', `authentication required to push to ${referenceName(dest)}: run selkie login ${dest.domain}, or pass --creds USER:PASSWORD`, { cause: e });
    }
    throw e;
  } finally {
    fs.rmSync(tmpDir, { recursive: true, force: true });
  }
}

/**
 * Compressed blobs the image was pulled with, by layer index, when its stored manifest lists them
 * as gzip and they are what the layer records say it came from: these can be skipped or mounted
 * without compressing again.
 */
function gzipBlobsOf(image: ImageRecord, layers: readonly LayerRecord[]): ({ digest: string; size: number } | undefined)[] {
  let listed: { mediaType?: string; digest?: string; size?: number }[] = [];
  try {
    const m = JSON.parse(image.manifest ?? 'null') as { layers?: typeof listed } | null;
    if (Array.isArray(m?.layers) && m.layers.length === layers.length) listed = m.layers;
  } catch {
    /* no usable manifest: compress everything */
  }
  return layers.map((l, i) => {
    const d = listed[i];
    const gzip = typeof d?.mediaType === 'string' && /gzip$/.test(d.mediaType);
    return gzip && d?.digest && d.digest === l.compressedDigest && typeof d.size === 'number' ? { digest: d.digest, size: d.size } : undefined;
  });
}

/** gzip of the layer's tar written to `file`, hashing and counting the compressed bytes on the way. */
async function spoolCompressed(storage: StorageDriver, layer: LayerRecord, file: string): Promise<{ file: string; digest: string; size: number }> {
  const hash = crypto.createHash('sha256');
  let size = 0;
  const count = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      hash.update(chunk);
      size += chunk.length;
      cb(null, chunk);
    },
  });
  try {
    await pipeline(exportLayer(storage, layer), zlibModule().createGzip(), count, fs.createWriteStream(file, { mode: 0o600 }));
  } catch (e) {
    fs.rmSync(file, { force: true });
    throw e;
  }
  return { file, digest: `sha256:${hash.digest('hex')}`, size };
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** GRAPHROOT/tmp/push-PID-RANDOM; directories of dead pushes are removed first. */
function makeTmpDir(root: string): string {
  fs.mkdirSync(root, { recursive: true, mode: 0o700 });
  for (const n of fs.readdirSync(root)) {
    const m = /^push-(\d+)-/.exec(n);
    if (!m || Number(m[1]) === process.pid) continue;
    try {
      process.kill(Number(m[1]), 0);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ESRCH') fs.rmSync(path.join(root, n), { recursive: true, force: true });
    }
  }
  const dir = path.join(root, `push-${process.pid}-${randomId().slice(0, 12)}`);
  fs.mkdirSync(dir, { mode: 0o700 });
  return dir;
}
