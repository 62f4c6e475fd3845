/** Content digests ("sha256:hex", "sha512:hex"): parsing and verification of streamed bytes. */
import crypto from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { SelkieError } from '../errors.js';

const LENGTHS: Record<string, number> = { sha256: 64, sha512: 128 };

export interface ParsedDigest {
  algorithm: 'sha256' | 'sha512';
  hex: string;
}

export function parseDigest(digest: string): ParsedDigest {
  const m = /^([a-z0-9]+(?:[.+_-][a-z0-9]+)*):([a-zA-Z0-9=_-]+)$/.exec(digest);
  const algorithm = m?.[1];
  if (!m || !algorithm || !(algorithm in LENGTHS)) {
    throw new SelkieError('registry', `unsupported or malformed digest ${JSON.stringify(digest)}`, {
      hint: 'Selkie verifies sha256 and sha512 digests',
    });
  }
  if (!new RegExp(`^[a-f0-9]{${LENGTHS[algorithm]}}$`).test(m[2]!)) {
    throw new SelkieError('registry', `malformed ${algorithm} digest ${JSON.stringify(digest)}`);
  }
  return { algorithm: algorithm as ParsedDigest['algorithm'], hex: m[2]! };
}

export function digestOf(data: Buffer | string, algorithm: ParsedDigest['algorithm'] = 'sha256'): string {
  return `${algorithm}:${crypto.createHash(algorithm).update(data).digest('hex')}`;
}

export function mismatchError(what: string, expected: string, actual: string): SelkieError {
  return new SelkieError('registry', `${what}: digest mismatch: expected ${expected}, got ${actual}`, {
    hint: 'the registry served corrupted or different content; nothing was stored',
  });
}

/** Checks a whole buffer against `expected`. */
export function verifyBuffer(data: Buffer, expected: string, what: string): void {
  const { algorithm } = parseDigest(expected);
  const actual = digestOf(data, algorithm);
  if (actual !== expected) throw mismatchError(what, expected, actual);
}

/**
 * A pass-through stream that hashes what flows and fails at the end (before signalling end) when the
 * digest or the expected size does not match, so a consumer that waits for the end never commits bad data.
 */
export class VerifyingStream extends Transform {
  private readonly hash: crypto.Hash;
  private bytes = 0;

  constructor(
    private readonly expected: string,
    private readonly what: string,
    private readonly expectedSize?: number,
  ) {
    super();
    this.hash = crypto.createHash(parseDigest(expected).algorithm);
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    cb(null, chunk);
  }

  override _flush(cb: TransformCallback): void {
    if (this.expectedSize !== undefined && this.bytes !== this.expectedSize) {
      cb(new SelkieError('registry', `${this.what}: expected ${this.expectedSize} bytes, got ${this.bytes}`, { hint: 'nothing was stored' }));
      return;
    }
    const actual = `${parseDigest(this.expected).algorithm}:${this.hash.digest('hex')}`;
    cb(actual === this.expected ? null : mismatchError(this.what, this.expected, actual));
  }
}
