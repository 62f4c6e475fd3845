/**
 * A storage driver keeps layers (read-only, content addressed by their chain ID) and containers'
 * writable layers, and mounts a container's root filesystem from them. Implementations:
 * overlay-driver.ts (kernel overlayfs) and vfs-driver.ts (full copies; always works).
 */
import type { Readable } from 'node:stream';
import type { IdMappings } from '../containers/id-mappings.js';
import type { LayerSource } from './layer-applier.js';

export interface ApplyResult {
  /** sha256 of the uncompressed tar stream: the layer's diffID ("sha256:..."). */
  diffId: string;
  /** Bytes of the uncompressed tar stream. */
  uncompressedSize: number;
  /** What could not be applied exactly but did not fail the layer (xattrs the filesystem refused, ...). */
  warnings?: string[];
}

export interface CreateLayerOptions {
  parentReady?: Promise<unknown>;
}

export interface StorageDriver {
  readonly name: 'overlay' | 'vfs';
  /** Directory under which the driver keeps everything (GRAPHROOT/<driver>). */
  readonly home: string;
  /** overlay through a FUSE mount program (fuse-overlayfs) instead of the kernel's overlayfs. */
  readonly mountProgram?: string;

  /**
   * Create read-only layer `id` on top of `parent` (null for a base layer) by applying the
   * uncompressed tar stream `diff`. Atomic: on failure (bad tar, escaping path, stream error)
   * nothing of the layer remains; on success the layer exists complete.
   * `parentReady`: the parent is still being created (by this process); it exists once this
   * resolves. The driver may apply the layer meanwhile (overlay does), but publishes it only after.
   */
  createLayer(id: string, parent: string | null, diff: Readable | LayerSource, opts?: CreateLayerOptions): Promise<ApplyResult>;
  layerExists(id: string): Promise<boolean>;
  /**
   * The layer's original uncompressed tar, byte for byte (rebuilt from its tar-split record and its
   * files), so that its sha256 is the layer's diffID. Errors (no record, files changed) come as
   * stream errors.
   */
  layerTar(id: string): Readable;
  /** Remove a layer (callers check that nothing references it). */
  removeLayer(id: string): Promise<void>;

  /**
   * Create a container's writable layer on top of image layer `top` (null: empty rootfs). With ID
   * mappings the container sees the image's files owned by the mapped IDs: the layers are used
   * through copies shifted once per mapping and shared by every container with that mapping.
   */
  createContainerLayer(containerId: string, top: string | null, idMappings?: IdMappings): Promise<void>;
  /** Mount the container's root filesystem and return its path (idempotent). */
  mount(containerId: string): Promise<string>;
  unmount(containerId: string): Promise<void>;
  removeContainerLayer(containerId: string): Promise<void>;

  /**
   * Remove what crashed processes left behind (temporary build directories of dead processes).
   * Safe while other processes use the same storage.
   */
  cleanupTemp(): Promise<void>;
}
