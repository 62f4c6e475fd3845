/**
 * `attach`: connect a client's streams to a running container through conmon's attach socket in
 * its bundle dir (<userdata>/attach, conmon ran with --full-attach). stdin is relayed only when the
 * container was created with it open (-i); resizes go to conmon's ctl fifo when it has a terminal.
 */
import path from 'node:path';
import type { AttachStreams } from '../engine.js';
import { conflict } from '../errors.js';
import type { Resources } from '../local/resources.js';
import { attachToContainer } from '../runtime/attach.js';
import type { AttachOptions } from '../types/container-ops.js';
import { containerPaths } from './container-paths.js';
import type { ContainerRecord } from './container-record.js';

export async function attachContainer(res: Resources, c: ContainerRecord, streams: AttachStreams, opts: AttachOptions = {}): Promise<{ detached: boolean }> {
  if (c.state === 'paused') throw conflict(`container ${c.name} is paused, so it cannot be attached to`, `unpause it with selkie unpause ${c.name}`);
  if (c.state !== 'running') throw conflict(`container ${c.name} is not running: you can only attach to running containers`, `start it with selkie start -a ${c.name}`);
  const bundle = containerPaths(res.paths.graphRoot, res.paths.runRoot, c.id).userdata;
  const stdin = c.config.stdin && !opts.noStdin && streams.stdin !== undefined;
  const session = await attachToContainer(path.join(bundle, 'attach'), stdin ? streams : { ...streams, stdin: undefined }, {
    stdin,
    tty: c.config.tty,
    detachKeys: opts.detachKeys,
    ctlFifo: c.config.tty ? path.join(bundle, 'ctl') : undefined,
  });
  if (streams.signal) {
    const stop = () => session.stop();
    if (streams.signal.aborted) stop();
    else streams.signal.addEventListener('abort', stop, { once: true });
    void session.done.finally(() => streams.signal!.removeEventListener('abort', stop)).catch(() => undefined);
  }
  return session.done;
}
