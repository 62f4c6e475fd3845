/**
 * Applies an uncompressed OCI layer tar stream to a directory in one pass: the bytes are hashed
 * (the diffID) and counted as they are fed to tar-stream, and each entry is written as it arrives
 * (LayerWriter), so memory stays flat whatever the layer's size. Nothing is synced here: the driver
 * makes the finished layer durable once (syncFilesystem) before publishing it.
 *
 * On failure the directory holds a partial layer; the driver owns it and removes it.
 */
import crypto from 'node:crypto';
import type { Readable } from 'node:stream';
import tar, { type Extract } from 'tar-stream';
import { isSelkieError, SelkieError, invalid } from '../errors.js';
import type { ApplyResult } from './storage-driver.js';
import { LayerWriter, type ApplyOptions } from './layer-writer.js';
import { keepRawPax, type PaxHeaders } from './pax-xattrs.js';
import type { TarSplitRecorder } from './tar-split.js';

export type { ApplyOptions } from './layer-writer.js';

/**
 * A layer that applies itself rather than handing over its tar as a stream (a pulled blob, which a
 * worker thread decompresses and applies: see images/pull-layer-source.ts). It must honour
 * everything applyLayer does: the same options, the record, the same errors.
 */
export interface LayerSource {
  readonly layerSource: true;
  applyTo(root: string, opts: ApplyOptions, record?: TarSplitRecorder): Promise<ApplyResult>;
  /** Gives up (the layer failed elsewhere): stops reading. */
  destroy(): void;
}

export const isLayerSource = (diff: Readable | LayerSource): diff is LayerSource => (diff as Partial<LayerSource>).layerSource === true;

/** `record`, when given, sees the tar's bytes so that the tar can be rebuilt later (tar-split.ts). */
export async function applyLayer(root: string, diff: Readable | LayerSource, opts: ApplyOptions, record?: TarSplitRecorder): Promise<ApplyResult> {
  if (isLayerSource(diff)) return diff.applyTo(root, opts, record);
  if (opts.lowerReady) {
    try {
      await opts.lowerReady;
    } catch (e) {
      diff.destroy();
      throw e;
    }
  }
  const hash = crypto.createHash('sha256');
  let size = 0;
  const extract = tar.extract();
  keepRawPax(extract);
  record?.attach(extract);
  const writer = new LayerWriter(root, opts);

  const feeding = feed(diff, extract, (chunk) => {
    hash.update(chunk);
    size += chunk.length;
  }).catch((e: unknown) => {
    extract.destroy(e as Error);
    throw e;
  });
  try {
    for await (const entry of extract) {
      record?.beforeEntry(entry.header, root);
      await writer.apply(entry.header as unknown as PaxHeaders, entry as AsyncIterable<Buffer>);
    }
    await feeding;
    const warnings = await writer.finish();
    return { diffId: `sha256:${hash.digest('hex')}`, uncompressedSize: size, ...(warnings.length > 0 ? { warnings } : {}) };
  } catch (e) {
    diff.destroy();
    extract.destroy();
    await feeding.catch(() => {});
    throw applyError(e);
  }
}

/** Writes the source into the tar parser with backpressure, passing every chunk to `onChunk` first. */
async function feed(src: Readable, extract: Extract, onChunk: (chunk: Buffer) => void): Promise<void> {
  for await (const chunk of src) {
    if (stopped(extract)) return; // the apply failed: stop reading
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    onChunk(buf);
    if (!extract.write(buf)) await drained(extract);
  }
  if (!stopped(extract)) extract.end(null);
}

const stopped = (extract: Extract): boolean => extract.destroyed || extract.destroying;

function drained(extract: Extract): Promise<void> {
  if (stopped(extract)) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      extract.off('drain', done);
      extract.off('close', done);
      resolve();
    };
    extract.on('drain', done);
    extract.on('close', done);
  });
}

/** Errors as users see them: ours as they are, system errors as such, anything else is a bad tar. */
function applyError(e: unknown): SelkieError {
  if (isSelkieError(e)) return e;
  const err = e instanceof Error ? e : new Error(String(e));
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ERR_STREAM_PREMATURE_CLOSE') return invalid('the layer stream ended early');
  if (typeof code === 'string' && !code.startsWith('ERR_')) {
    return new SelkieError('internal', `applying the layer failed: ${err.message}`, { cause: err });
  }
  return invalid(`the layer is not a valid tar archive: ${err.message}`, 'the image or its download is corrupt; pull it again');
}
