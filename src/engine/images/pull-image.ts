/**
 * `pull`: registry → local storage. The manifest (and, for an index, the platform's manifest) comes
 * first (for a tag stored here already, its digest by HEAD: pull-present.ts); an image already stored
 * under that manifest digest costs nothing more. Otherwise the config
 * (verified) and the layers (pull-layers.ts) follow, and the image record is written last, in one
 * transaction: a pull killed midway leaves no image (complete layers stay and are reused).
 */
import fs from 'node:fs';
import path from 'node:path';
import { SelkieError, isSelkieError } from '../errors.js';
import type { RegistriesConfig } from '../config/registries-conf.js';
import type { StorageDriver } from '../storage/storage-driver.js';
import type { ImageRecord, ImageStore } from './image-store.js';
import { presentByTag } from './pull-present.js';
import type { PullOptions } from '../registry/pull-types.js';
import { registryClient } from '../registry/registry-access.js';
import { wantedPlatform } from '../registry/platform.js';
import { referenceName, referenceToString } from './reference.js';
import { describeCandidate, pullCandidates, type PullCandidate } from './pull-sources.js';
import { fetchImageConfig, fetchImageManifest } from './pull-manifest.js';
import { pullLayers, startApplyWorkers } from './pull-layers.js';
import type { PullSource } from '../config/registries-conf.js';
import { randomId, sha256Hex } from '../util/ids.js';

export interface PullDeps {
  storage: StorageDriver;
  store: ImageStore;
  /** GRAPHROOT/tmp: blobs are downloaded below it. */
  tmpRoot: string;
  registries: RegistriesConfig;
  log?: (msg: string) => void;
}

/** Pulls `input` and returns the image ID (hex). */
export async function pullImage(input: string, opts: PullOptions, deps: PullDeps): Promise<string> {
  const candidates = pullCandidates(input, deps.registries);
  const errors: { where: string; error: unknown }[] = [];
  for (const c of candidates) {
    for (const source of c.sources) {
      try {
        return await pullFrom(c, source, opts, deps);
      } catch (e) {
        // Only "not there" and "cannot reach" move on to the next location or candidate.
        if (!isSelkieError(e) || !['not-found', 'registry', 'auth'].includes(e.kind)) throw e;
        if (candidates.length === 1 && c.sources.length === 1) throw e;
        errors.push({ where: referenceToString(source.reference), error: e });
        deps.log?.(`pulling ${referenceToString(source.reference)} failed: ${(e as Error).message}`);
      }
    }
  }
  if (errors.length === 1) throw errors[0]!.error;
  const lines = errors.map((x) => `${x.where}: ${(x.error as Error).message}`).join('; ');
  throw new SelkieError('not-found', `cannot pull ${input} from any of ${candidates.map(describeCandidate).join(', ')}: ${lines}`, {
    hint: 'use a fully qualified name (registry/repository:tag)',
  });
}

async function pullFrom(c: PullCandidate, source: PullSource, opts: PullOptions, deps: PullDeps): Promise<string> {
  const ref = source.reference;
  const local = c.reference;
  const progress = opts.onProgress;
  progress?.({ kind: 'resolving', reference: referenceToString(source.reference) });
  const client = registryClient({ domain: ref.domain, credentialKey: referenceName(ref), insecure: source.insecure }, opts, deps.registries, deps.log);
  const repoName = referenceName(local);
  const names = local.tag !== undefined && local.digest === undefined ? [referenceToString(local)] : [];
  const present = async (existing: ImageRecord, layers: { digest: string; size: number }[], configDigest: string, repoDigests: string[]): Promise<string> => {
    progress?.({ kind: 'present', reference: referenceToString(local) });
    // As podman reports it: every blob already there, the config, the manifest.
    progress?.({ kind: 'signatures' });
    for (const l of layers) progress?.({ kind: 'blob', digest: l.digest, state: 'skipped', received: 0, total: l.size });
    progress?.({ kind: 'config', digest: configDigest });
    progress?.({ kind: 'writing-manifest' });
    const { names: _n, repoDigests: _d, ...rec } = existing;
    deps.store.save(rec, { names, repoDigests });
    return existing.id;
  };
  if (!ref.digest && names.length) {
    const p = await presentByTag(client, ref.path, ref.tag ?? 'latest', names[0]!, repoName, deps.store, deps.storage);
    if (p) return present(p.image, p.layers, p.configDigest, [`${repoName}@${p.image.digest}`]);
  }
  const m = await fetchImageManifest(client, ref.path, ref.digest ?? ref.tag ?? 'latest', wantedPlatform(opts));
  const repoDigests = [`${repoName}@${m.digest}`, ...(m.indexDigest ? [`${repoName}@${m.indexDigest}`] : [])];

  const existing = deps.store.find(`${repoName}@${m.digest}`, []);
  if (existing && (existing.topLayer === null || (await deps.storage.layerExists(existing.topLayer)))) {
    return present(existing, m.manifest.layers, m.manifest.config.digest, repoDigests);
  }

  progress?.({ kind: 'signatures' });
  const workers = startApplyWorkers(m.manifest.layers.length);
  let cfg;
  try {
    cfg = await fetchImageConfig(client, ref.path, m);
  } catch (e) {
    workers?.close();
    throw e;
  }
  const id = sha256Hex(cfg.raw);
  const tmpDir = makeTmpDir(deps.tmpRoot);
  try {
    const layers = await pullLayers({
      workers,
      client,
      repo: ref.path,
      layers: m.manifest.layers,
      diffIds: cfg.config.rootfs.diff_ids,
      storage: deps.storage,
      store: deps.store,
      tmpDir,
      onProgress: progress,
    });
    progress?.({ kind: 'config', digest: m.manifest.config.digest });
    progress?.({ kind: 'writing-manifest' });
    const now = Math.floor(Date.now() / 1000);
    const created = cfg.config.created ? Math.floor(Date.parse(cfg.config.created) / 1000) : NaN;
    deps.store.save(
      {
        id,
        topLayer: layers.at(-1)?.id ?? null,
        config: cfg.config,
        configRaw: cfg.raw,
        manifest: m.raw.toString('utf8'),
        manifestType: m.mediaType,
        digest: m.digest,
        size: layers.reduce((n, l) => n + l.uncompressedSize, 0),
        created: Number.isFinite(created) ? created : now,
        stored: now,
      },
      { names, repoDigests, layers },
    );
    return id;
  } finally {
    workers?.close();
    fs.rmSync(tmpDir, { recursive: true, force: true });
  }
}

/** GRAPHROOT/tmp/pull-PID-RANDOM; directories of dead pulls are removed first. */
function makeTmpDir(root: string): string {
  fs.mkdirSync(root, { recursive: true, mode: 0o700 });
  for (const n of fs.readdirSync(root)) {
    const m = /^pull-(\d+)-/.exec(n);
    if (!m || Number(m[1]) === process.pid) continue;
    try {
      process.kill(Number(m[1]), 0);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ESRCH') fs.rmSync(path.join(root, n), { recursive: true, force: true });
    }
  }
  const dir = path.join(root, `pull-${process.pid}-${randomId().slice(0, 12)}`);
  fs.mkdirSync(dir, { mode: 0o700 });
  return dir;
}
