/**
 * Engine errors as io.podman errors: a missing container or image becomes ContainerNotFound /
 * ImageNotFound with the name the client asked for, a container in the wrong state InvalidState,
 * anything else ErrorOccurred with the engine's message (and its hint).
 */
import { asEngineError } from '../../engine-error.js';
import { describeError, isSelkieError } from '../../errors.js';
import { isVarlinkError, VarlinkError } from '../varlink-error.js';

export const podmanError = {
  containerNotFound: (id: string, reason: string) => new VarlinkError('io.podman.ContainerNotFound', { id, reason }),
  imageNotFound: (id: string, reason: string) => new VarlinkError('io.podman.ImageNotFound', { id, reason }),
  invalidState: (id: string, reason: string) => new VarlinkError('io.podman.InvalidState', { id, reason }),
  errorOccurred: (reason: string) => new VarlinkError('io.podman.ErrorOccurred', { reason }),
};

/** Run `f` for the container `name`; engine failures become io.podman errors naming it. */
export async function forContainer<T>(name: string, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    if (isVarlinkError(e)) throw e;
    if (isSelkieError(e) && e.kind === 'not-found') throw podmanError.containerNotFound(name, describeError(e));
    if (isSelkieError(e) && e.kind === 'conflict') throw podmanError.invalidState(name, describeError(e));
    throw podmanError.errorOccurred(describeError(e));
  }
}

/** Run `f` for the image `name`; engine failures become io.podman errors naming it. */
export async function forImage<T>(name: string, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    if (isVarlinkError(e)) throw e;
    if (isSelkieError(e) && e.kind === 'not-found') throw podmanError.imageNotFound(name, describeError(e));
    throw podmanError.errorOccurred(describeError(e));
  }
}

/** Whatever a handler let through: ErrorOccurred with the message a user can act on. */
export function mapPodmanError(e: unknown): VarlinkError {
  return isVarlinkError(e) ? e : podmanError.errorOccurred(describeError(asEngineError(e)));
}
