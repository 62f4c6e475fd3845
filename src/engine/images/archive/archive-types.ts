/** What the archive writers and readers exchange with the engine. */
import type { Readable } from 'node:stream';
import type { ImageRecord, LayerRecord } from '../image-store.js';

/** One image to save: its record, the names to give it in the archive, and its layers bottom first. */
export interface ImageToSave {
  image: ImageRecord;
  names: string[];
  layers: LayerRecord[];
}

/** Opens a stored layer's uncompressed tar (checked against its diffID). */
export type LayerOpener = (layer: LayerRecord) => Readable;

/** One image found in an archive being loaded. */
export interface ArchiveImage {
  /** The config as stored in the archive: its sha256 is the image ID. */
  config: Buffer;
  /** The digest the archive claims for the config, when it names one ("sha256:..."). */
  claimedConfigDigest?: string;
  /** The manifest (OCI archives), with its media type. */
  manifest?: { raw: Buffer; mediaType: string };
  /** The layers bottom first: each opens a stream of the layer blob (maybe compressed). */
  layers: Array<() => Readable>;
  /** Fully qualified names for the image. */
  names: string[];
}
