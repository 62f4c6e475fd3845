/**
 * Fetching and applying an image's layers. Blobs download concurrently into temp files (verified by
 * digest); layers apply in chain order, two at a time, each reading its blob while it still
 * downloads (growing-file.ts: the stream ends only once the download is verified, and fails with its
 * error), so no layer waits for its whole blob. Each layer applies in a worker thread
 * (pull-apply-worker.ts: gunzip, diffID check, tar, file system calls), so two layers use two cores
 * while this thread downloads; a layer may apply while its parent still does (the storage driver
 * waits for the parent only where it needs it, and publishes after it). The diffID check fails the
 * stream before its end, so the driver's atomic createLayer keeps nothing of a wrong layer.
 */
import path from 'node:path';
import fs from 'node:fs';
import type { StorageDriver } from '../storage/storage-driver.js';
import type { ImageStore, LayerRecord } from './image-store.js';
import type { RegistryClient } from '../registry/registry-client.js';
import { downloadBlob } from '../registry/blob-download.js';
import type { PullProgress } from '../registry/pull-types.js';
import { SelkieError } from '../errors.js';
import { chainIds, stripAlgorithm } from '../util/ids.js';
import { GrowingFile } from './growing-file.js';
import { ApplyWorkerPool } from './pull-apply-worker.js';
import { BlobLayerSource } from './pull-layer-source.js';
import { collectBuffersWhile } from '../util/buffer-collector.js';

/** Layers applied at once: one per core of a small machine; more would only compete for them. */
const APPLY_CONCURRENCY = 2;

export interface LayerDescriptor {
  mediaType: string;
  digest: string;
  size: number;
}

export interface LayerJob {
  client: RegistryClient;
  repo: string;
  layers: readonly LayerDescriptor[];
  diffIds: readonly string[];
  storage: StorageDriver;
  store: ImageStore;
  tmpDir: string;
  onProgress?: (p: PullProgress) => void;
  /** Concurrent downloads (default 3). */
  concurrency?: number;
  /** Workers started early (startApplyWorkers); closed here. */
  workers?: ApplyWorkerPool;
}

/** The workers a pull of `layers` layers uses, started now so their start-up overlaps the requests before. */
export const startApplyWorkers = (layers: number): ApplyWorkerPool | undefined => ApplyWorkerPool.start(Math.min(APPLY_CONCURRENCY, layers));

/** Applies the layers (skipping those present) and returns their records, base first. */
export async function pullLayers(job: LayerJob): Promise<LayerRecord[]> {
  const { layers, diffIds } = job;
  if (layers.length !== diffIds.length) {
    throw new SelkieError('registry', `the image has ${layers.length} layers but its config lists ${diffIds.length} diff IDs`, { hint: 'the image is malformed' });
  }
  const t0 = Date.now();
  const chain = chainIds(diffIds).map(stripAlgorithm);
  const records: LayerRecord[] = [];
  const present: boolean[] = [];
  for (let i = 0; i < layers.length; i++) {
    const rec = job.store.getLayer(chain[i]!);
    present[i] = rec !== undefined && (await job.storage.layerExists(chain[i]!));
    records[i] = {
      id: chain[i]!,
      parent: i === 0 ? null : chain[i - 1]!,
      diffId: diffIds[i]!,
      uncompressedSize: rec?.uncompressedSize ?? 0,
      compressedDigest: layers[i]!.digest,
      compressedSize: layers[i]!.size,
    };
    if (present[i]) job.onProgress?.({ kind: 'blob', digest: layers[i]!.digest, state: 'skipped', received: 0, total: layers[i]!.size });
  }

  // Downloads: a small pool over the missing layers, in order.
  const files: (Promise<string> | undefined)[] = [];
  const feeds: GrowingFile[] = [];
  const limit = Math.max(1, job.concurrency ?? 3);
  const order = layers.map((_, i) => i).filter((i) => !present[i]);
  let active = 0;
  const waiters: (() => void)[] = [];
  const slot = async () => {
    while (active >= limit) await new Promise<void>((r) => waiters.push(r));
    active++;
  };
  const release = () => {
    active--;
    waiters.shift()?.();
  };
  const controller = { failed: false };
  for (const i of order) {
    const l = layers[i]!;
    const file = path.join(job.tmpDir, `blob-${i}-${stripAlgorithm(l.digest).slice(0, 16)}`);
    const feed = (feeds[i] = new GrowingFile(file));
    files[i] = (async () => {
      await slot();
      try {
        if (controller.failed) throw new SelkieError('internal', 'cancelled');
        await downloadBlob(job.client, {
          repo: job.repo,
          digest: l.digest,
          size: l.size,
          file,
          onBytes: (received) => {
            feed.grew(received);
            job.onProgress?.({ kind: 'blob', digest: l.digest, state: 'copying', received, total: l.size });
          },
        });
        job.client.debug(`downloaded ${l.digest} (${l.size} bytes) at +${Date.now() - t0} ms`);
        return file;
      } finally {
        release();
      }
    })();
    files[i]!.then(
      () => feed.complete(),
      (e: unknown) => feed.fail(e),
    ); // the error itself is observed below, in order
  }

  // Applying: layers are admitted in chain order, as many at once as there are workers (each in a
  // worker thread when there are workers). A layer's own work may finish before its parent's: it
  // then frees its place and waits (createLayer's parentReady) to be published after its parent.
  // Admitting in order keeps a worker for every layer below one that waits on a lookup.
  let pool = job.workers;
  if (order.length === 0) pool?.close();
  else pool ??= startApplyWorkers(order.length);
  let applying = 0;
  const applyWaiters: (() => void)[] = [];
  const applied: Promise<void>[] = [];
  let previous: Promise<void> | undefined;
  for (const i of order) {
    const parentReady = previous;
    applied[i] = (async () => {
      while (applying >= APPLY_CONCURRENCY) await new Promise<void>((r) => applyWaiters.push(r));
      applying++;
      let released = false;
      const release = (): void => {
        if (released) return;
        released = true;
        applying--;
        applyWaiters.shift()?.();
      };
      try {
        if (controller.failed) throw new SelkieError('internal', 'cancelled');
        await applyOne(i, parentReady, release);
      } finally {
        release();
      }
    })();
    applied[i]!.catch(() => {
      controller.failed = true;
    }); // observed below, in order
    previous = applied[i];
  }

  async function applyOne(i: number, parentReady: Promise<void> | undefined, ownWorkDone: () => void): Promise<void> {
    const l = layers[i]!;
    const what = `layer ${l.digest}`;
    let result;
    try {
      const source = new BlobLayerSource(feeds[i]!, diffIds[i]!, what, pool);
      void source.applied.then(ownWorkDone);
      // The blob goes as soon as the layer is applied and the download complete, before the driver
      // syncs the layer: the sync (syncfs) would otherwise write this dead temp file to disk too.
      Promise.all([source.applied, files[i]]).then(
        () => fs.rmSync(feeds[i]!.file, { force: true }),
        () => {},
      );
      result = await job.storage.createLayer(chain[i]!, records[i]!.parent, source, parentReady ? { parentReady } : {});
    } catch (e) {
      // A failed download explains the failure better than the stream it broke.
      const downloadError = await files[i]!.then(
        () => undefined,
        (d: unknown) => d,
      );
      throw downloadError ?? e;
    }
    // The layer is kept only when its whole blob arrived and matched its digest.
    const downloadError = await files[i]!.then(
      () => undefined,
      (d: unknown) => d,
    );
    if (downloadError) {
      await job.storage.removeLayer(chain[i]!).catch(() => {});
      throw downloadError;
    }
    const file = await files[i]!;
    if (result.diffId !== diffIds[i]) {
      await job.storage.removeLayer(chain[i]!).catch(() => {});
      throw new SelkieError('registry', `${what}: diff ID mismatch: the config says ${diffIds[i]}, the content is ${result.diffId}`, { hint: 'nothing was stored' });
    }
    records[i]!.uncompressedSize = result.uncompressedSize;
    job.client.debug(`applied ${l.digest} (${result.uncompressedSize} bytes) at +${Date.now() - t0} ms`);
    fs.rmSync(file, { force: true });
    job.onProgress?.({ kind: 'blob', digest: l.digest, state: 'done', received: l.size, total: l.size });
  }

  // Network chunks are garbage once written: collect them as they go (util/buffer-collector.ts).
  const stopCollecting = order.length > 0 ? collectBuffersWhile() : () => {};
  try {
    for (const i of order) await applied[i];
  } catch (e) {
    controller.failed = true;
    pool?.close();
    await Promise.allSettled([...files.filter(Boolean), ...applied.filter(Boolean)]);
    throw e;
  } finally {
    stopCollecting();
    pool?.close();
  }
  return records;
}
