/**
 * A short, stable, non-cryptographic hash of a string (FNV-1a, two 32-bit lanes: up to 16 hex
 * digits), for names that only need to be the same in every process and unlikely to collide
 * (a veth's name, a cache file's): loading node:crypto for them costs more than the rest of the work.
 */
export function shortHash(text: string, hexDigits = 12): string {
  let a = 0x811c9dc5;
  let b = 0x050c5d1f;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return ((a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0')).slice(0, hexDigits);
}
