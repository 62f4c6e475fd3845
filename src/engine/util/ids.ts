/** Identifiers: random container IDs, digests, the 12-character short form. */
import crypto from 'node:crypto';

export const randomId = (): string => crypto.randomBytes(32).toString('hex');
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
