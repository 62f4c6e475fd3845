/**
 * `save`: images into a docker-archive or oci-archive tar written to `out`. Layers are streamed
 * from storage (exact original bytes, checked against their diffIDs); a failure destroys the
 * output stream, so the caller never keeps a partial archive.
 */
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import tar from 'tar-stream';
import type { StorageDriver } from '../../storage/storage-driver.js';
import type { ImageArchiveFormat } from '../../types/image-ops.js';
import { exportLayer } from '../layer-export.js';
import type { ImageToSave } from './archive-types.js';
import { writeDockerArchive } from './docker-archive-writer.js';
import { writeOciArchive } from './oci-archive-writer.js';

export async function saveArchive(images: readonly ImageToSave[], format: ImageArchiveFormat, out: Writable, storage: StorageDriver): Promise<void> {
  const pack = tar.pack();
  const writing = pipeline(pack, out);
  writing.catch(() => {});
  try {
    const open = (l: Parameters<typeof exportLayer>[1]) => exportLayer(storage, l);
    if (format === 'oci-archive') await writeOciArchive(pack, images, open);
    else await writeDockerArchive(pack, images, open);
    pack.finalize();
    await writing;
  } catch (e) {
    pack.destroy(e as Error);
    await writing.catch(() => {});
    throw e;
  }
}
