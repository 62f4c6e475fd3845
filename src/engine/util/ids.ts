/** Identifiers: random container IDs, digests, the 12-character short form. */
import crypto from 'node:crypto';
import fs from 'node:fs';

/**
 * 64 random hex digits, read from the kernel's /dev/urandom: what crypto.randomBytes gives, without
 * loading node:crypto (several ms of start-up for exec, run and every command needing no hash).
 */
export function randomId(): string {
  const bytes = Buffer.allocUnsafe(32);
  const fd = fs.openSync('/dev/urandom', 'r');
  try {
    for (let got = 0; got < bytes.length; ) got += fs.readSync(fd, bytes, got, bytes.length - got, null);
  } finally {
    fs.closeSync(fd);
  }
  return bytes.toString('hex');
}
export const shortId = (id: string): string => stripAlgorithm(id).slice(0, 12);
export const stripAlgorithm = (digest: string): string => digest.replace(/^sha256:/, '');
export const sha256Hex = (data: string | Buffer): string => crypto.createHash('sha256').update(data).digest('hex');

/** Chain IDs as the OCI image spec defines them: ChainID(L0) = DiffID(L0), ChainID(Ln) = sha256(ChainID(Ln-1) + " " + DiffID(Ln)). */
export function chainIds(diffIds: readonly string[]): string[] {
  const out: string[] = [];
  let prev = '';
  for (const d of diffIds) {
    prev = prev === '' ? d : `sha256:${sha256Hex(`${prev} ${d}`)}`;
    out.push(prev);
  }
  return out;
}
