/**
 * A pulled layer as the storage driver's LayerSource: its blob (a GrowingFile, still downloading),
 * applied in a worker thread (pull-apply-worker.ts) when there is one, else in this thread through
 * the same streams: decompress → diffID check → applyLayer. Either way the diffID check fails the
 * stream before its end, so the driver's atomic createLayer keeps nothing of a wrong layer.
 */
import type { Readable } from 'node:stream';
import { VerifyingStream } from '../registry/digest.js';
import { applyLayer, type ApplyOptions, type LayerSource } from '../storage/layer-applier.js';
import type { ApplyResult } from '../storage/storage-driver.js';
import type { TarSplitRecorder } from '../storage/tar-split.js';
import type { GrowingFile } from './growing-file.js';
import type { ApplyWorkerPool } from './pull-apply-worker.js';
import { openBlobTar } from './blob-tar-stream.js';

export class BlobLayerSource implements LayerSource {
  readonly layerSource = true as const;
  private stream?: Readable;
  private destroyed = false;
  private settle: () => void = () => {};
  /** Resolves once this layer's own work is done (the layers below may still be applied). */
  readonly applied = new Promise<void>((resolve) => (this.settle = resolve));

  constructor(
    private readonly feed: GrowingFile,
    private readonly diffId: string,
    private readonly what: string,
    private readonly pool?: ApplyWorkerPool,
  ) {}

  async applyTo(root: string, opts: ApplyOptions, record?: TarSplitRecorder): Promise<ApplyResult> {
    try {
      if (this.pool) {
        const lowerLookup = opts.lowerLookup;
        const job = {
          root,
          whiteouts: opts.whiteouts,
          file: this.feed.file,
          diffId: this.diffId,
          what: this.what,
          ...(record ? { recordFile: record.file } : {}),
          lookups: lowerLookup !== undefined,
        };
        const applied = await this.pool.run(job, this.feed, async (rel) => {
          await opts.lowerReady;
          return lowerLookup!(rel);
        });
        if (applied) {
          record?.recordedElsewhere();
          this.settle();
          if (applied.rootFromLower && opts.rootFromLower) {
            await opts.lowerReady;
            opts.rootFromLower();
          }
          return applied.result;
        }
        // No worker could start: apply it here.
      }
      return await applyLayer(root, await this.open(), opts, record);
    } finally {
      this.settle();
    }
  }

  destroy(): void {
    this.destroyed = true;
    this.stream?.destroy();
  }

  private async open(): Promise<Readable> {
    const tar = await openBlobTar(this.feed, this.what);
    const verified = tar.pipe(new VerifyingStream(this.diffId, `${this.what}: uncompressed content (diff ID)`));
    tar.on('error', (e) => verified.destroy(e));
    // The storage driver may be done at the tar's end-of-archive, before the blob ends: a later
    // error (the download's) is handled by the caller, not thrown at the stream.
    verified.on('error', () => {});
    this.stream = verified;
    if (this.destroyed) verified.destroy();
    return verified;
  }
}
