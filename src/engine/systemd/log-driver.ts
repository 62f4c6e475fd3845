/**
 * `--log-driver k8s-file|journald|none`. conmon writes to the journal itself (`-l journald`), with
 * CONTAINER_ID_FULL and CONTAINER_NAME fields; that needs a running systemd-journald, whose socket is
 * /run/systemd/journal/socket. Without one the choice is refused at create, not lost at run time.
 */
import fs from 'node:fs';
import { SelkieError, usageError } from '../errors.js';

export type LogDriver = 'k8s-file' | 'journald' | 'none';

export const journalSocket = '/run/systemd/journal/socket';

export function hasJournal(socket = journalSocket): boolean {
  try {
    return fs.statSync(socket).isSocket();
  } catch {
    return false;
  }
}

export function resolveLogDriver(value: string | undefined, journal: () => boolean = hasJournal): LogDriver {
  const v = value ?? 'k8s-file';
  if (v === 'json-file') return 'k8s-file'; // Docker's name; Podman maps it the same way
  if (v !== 'k8s-file' && v !== 'journald' && v !== 'none') throw usageError(`invalid --log-driver "${v}"`, 'use k8s-file, journald or none');
  if (v === 'journald' && !journal()) {
    throw new SelkieError('invalid', `no systemd journal on this host (${journalSocket} is missing): use --log-driver k8s-file`, { exitCode: 125 });
  }
  return v;
}
