/**
 * io.podman filesystem changes and commit: ListContainerChanges (paths grouped as changed / added /
 * deleted), Diff (one DiffInfo per path with Docker's change letters C, A, D, as libpod's
 * archive.ChangeType printed them) and Commit (the container's changes as a new image; the reply is
 * a MoreResponse whose `id` is the new image's ID).
 */
import { describeError, isSelkieError } from '../../errors.js';
import type { Engine } from '../../engine.js';
import type { FilesystemChange } from '../../types/container-ops.js';
import type { MethodHandler } from '../service.js';
import { isVarlinkError } from '../varlink-error.js';
import { forContainer, podmanError } from './podman-errors.js';

const changeLetter: Record<FilesystemChange['Kind'], string> = { 0: 'C', 1: 'A', 2: 'D' };

/**
 * The container's changes. Podman 1.9 answered every failure of these two calls with ErrorOccurred
 * (its GetDiff took an image or a container); an image name gets a message saying what works.
 */
async function changesOf(engine: Engine, name: string): Promise<FilesystemChange[]> {
  try {
    return await engine.containers.diff(name);
  } catch (e) {
    if (isVarlinkError(e)) throw e;
    if (isSelkieError(e) && e.kind === 'not-found' && (await engine.images.exists(name).catch(() => false))) {
      throw podmanError.errorOccurred(`${name} is an image: selkie lists the changes of containers only (their root filesystem against their image); create a container from it and diff that`);
    }
    throw podmanError.errorOccurred(describeError(e));
  }
}

export function changesCommitMethods(engine: Engine): Record<string, MethodHandler> {
  return {
    ListContainerChanges: async (p: { name: string }) => {
      const container = { changed: [] as string[], added: [] as string[], deleted: [] as string[] };
      for (const c of await changesOf(engine, p.name)) {
        if (c.Kind === 0) container.changed.push(c.Path);
        else if (c.Kind === 1) container.added.push(c.Path);
        else container.deleted.push(c.Path);
      }
      return { container };
    },
    Diff: async (p: { name: string }) => ({ diffs: (await changesOf(engine, p.name)).map((c) => ({ path: c.Path, changeType: changeLetter[c.Kind] })) }),
    Commit: async (p: { name: string; image_name: string; changes: string[]; author: string; message: string; pause: boolean; manifestType: string }) => {
      let format: 'oci' | 'docker';
      if (p.manifestType === '' || p.manifestType === 'oci') format = 'oci';
      else if (p.manifestType === 'docker') format = 'docker';
      else throw podmanError.errorOccurred(`unrecognized image format ${JSON.stringify(p.manifestType)}: use "oci" or "docker"`);
      const id = await forContainer(p.name, () =>
        engine.containers.commit(p.name, {
          reference: p.image_name || undefined,
          changes: p.changes.length ? p.changes : undefined,
          author: p.author || undefined,
          message: p.message || undefined,
          pause: p.pause,
          format,
        }),
      );
      // The engine reports no progress while it writes the layer: the one reply carries the ID.
      return { reply: { logs: [] as string[], id: id.replace(/^sha256:/, '') } };
    },
  };
}
